import { afterEach, describe, expect, it } from 'vitest';
import { baseLocale, overwriteGetLocale } from '../paraglide/runtime.js';
import { notificationLink, notificationWords, type NotificationShown } from './notification-words.ts';

const sam = { id: 'plan-1', serviceUserId: 'sam', serviceUserName: 'Sam Taylor' };
const agreement = (plan: NotificationShown['plan'], actorName: string | null = 'Priya Shah'): NotificationShown => ({
	kind: 'agreement-requested',
	params: { versionId: 'v1', name: 'Our plan for the winter' },
	actorName,
	plan
});

afterEach(() => overwriteGetLocale(() => baseLocale));

describe('notificationWords', () => {
	it('names the plan as the reader’s own, as someone’s, or as a plan that is gone', () => {
		expect(notificationWords(agreement(sam), 'sam')).toBe('Priya Shah asks whether you agree with “Our plan for the winter”, a version of your plan.');
		expect(notificationWords(agreement(sam), 'tom')).toBe('Priya Shah asks whether you agree with “Our plan for the winter”, a version of Sam Taylor’s plan.');
		expect(notificationWords(agreement(null, null), 'sam')).toBe('Someone asks whether you agree with “Our plan for the winter”, a version of a plan.');
	});

	it('is written in the reader’s language when it is shown, from the stored code and params', () => {
		overwriteGetLocale(() => 'de');
		expect(notificationWords(agreement(sam), 'sam')).toBe('Priya Shah fragt, ob Sie der Fassung „Our plan for the winter“ Ihres Plans zustimmen.');
		expect(notificationWords({ kind: 'care-team-added', params: {}, actorName: null, plan: sam }, 'tom')).toContain(
			'Jemand hat Sie in das Behandlungsteam des Plans von Sam Taylor aufgenommen.'
		);
		expect(notificationLink(agreement(sam))).toEqual({ href: '/plans/plan-1/versions', text: 'Lesen und sagen, ob Sie zustimmen' });
		expect(notificationWords({ kind: 'unknown', params: {}, actorName: null, plan: null }, 'sam')).toBe('Etwas hat sich geändert.');
	});
});
