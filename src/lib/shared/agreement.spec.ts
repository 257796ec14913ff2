import { afterEach, describe, expect, it } from 'vitest';
import { getLocale, overwriteGetLocale } from '../paraglide/runtime.js';
import { agreementOf, SHOWN_PLAN_STATUS_LABELS, shownPlanStatus, versionStandings, type SignOffAnswer } from './agreement.ts';

const at = (minute: number) => new Date(Date.UTC(2026, 2, 2, 10, minute));
const answer = (userId: string, role: string, decision: 'agree' | 'disagree', minute: number, reason: string | null = null): SignOffAnswer => ({
	userId,
	name: userId,
	role,
	decision,
	reason,
	at: at(minute)
});

describe('agreementOf', () => {
	it('waits until the person and a professional both agree', () => {
		expect(agreementOf([], 'sam').status).toBe('waiting');
		expect(agreementOf([answer('priya', 'professional', 'agree', 1)], 'sam').status).toBe('waiting');
		expect(agreementOf([answer('sam', 'service_user', 'agree', 1)], 'sam').status).toBe('waiting');
		expect(agreementOf([answer('priya', 'professional', 'agree', 1), answer('sam', 'service_user', 'agree', 2)], 'sam').status).toBe('agreed');
	});

	it('is disagreed while the person’s latest answer is disagree, whatever professionals say', () => {
		const signOffs = [answer('priya', 'professional', 'agree', 1), answer('sam', 'service_user', 'disagree', 2, 'Not my words')];
		const agreement = agreementOf(signOffs, 'sam');
		expect(agreement.status).toBe('disagreed');
		expect(agreement.serviceUser).toMatchObject({ decision: 'disagree', reason: 'Not my words' });
	});

	it('counts each person’s latest answer, in time order whatever order they are given in', () => {
		const signOffs = [
			answer('sam', 'service_user', 'agree', 5),
			answer('priya', 'professional', 'agree', 1),
			answer('sam', 'service_user', 'disagree', 2, 'Wait'),
			answer('tom', 'professional', 'disagree', 3)
		];
		const agreement = agreementOf(signOffs, 'sam');
		expect(agreement.status).toBe('agreed');
		expect(agreement.professionals.map((professional) => professional.userId)).toEqual(['priya', 'tom']);
		expect(agreementOf([...signOffs, answer('priya', 'professional', 'disagree', 6)], 'sam').status).toBe('waiting');
	});

	it('does not count a supervisor as the professional who agrees', () => {
		expect(agreementOf([answer('sam', 'service_user', 'agree', 1), answer('maria', 'supervisor', 'agree', 2)], 'sam').status).toBe('waiting');
	});
});

describe('versionStandings', () => {
	const agreed = agreementOf([answer('priya', 'professional', 'agree', 1), answer('sam', 'service_user', 'agree', 2)], 'sam');
	const halfAgreed = agreementOf([answer('priya', 'professional', 'agree', 1)], 'sam');
	const unanswered = agreementOf([], 'sam');

	it('lets only the newest version ask for agreement; older unsigned ones are replaced, agreed ones stay agreed', () => {
		const standings = versionStandings([
			{ kind: 'agreement', agreement: halfAgreed },
			{ kind: 'appointment', agreement: unanswered },
			{ kind: 'agreement', agreement: agreed },
			{ kind: 'agreement', agreement: halfAgreed }
		]);
		expect(standings).toEqual(['waiting', 'replaced', 'agreed', 'replaced']);
	});

	it('calls a newest version that was only saved open, until someone answers it', () => {
		expect(versionStandings([{ kind: 'manual', agreement: unanswered }])).toEqual(['open']);
		expect(versionStandings([{ kind: 'appointment', agreement: halfAgreed }])).toEqual(['waiting']);
	});
});

describe('shownPlanStatus', () => {
	it('follows agreement: agreed, then changed since agreed; waiting while the newest version asks', () => {
		expect(shownPlanStatus('draft', 'agreed', { changedSince: false })).toBe('agreed');
		expect(shownPlanStatus('draft', 'open', { changedSince: true })).toBe('changed-since-agreed');
		expect(shownPlanStatus('active', 'waiting', { changedSince: false })).toBe('waiting-for-agreement');
		expect(shownPlanStatus('draft', null, null)).toBe('draft');
		expect(shownPlanStatus('closed', 'agreed', { changedSince: false })).toBe('closed');
	});
});

describe('SHOWN_PLAN_STATUS_LABELS', () => {
	const pageLocale = getLocale;
	afterEach(() => overwriteGetLocale(pageLocale));

	it('says each status in the language of the page reading it', () => {
		overwriteGetLocale(() => 'en');
		expect(SHOWN_PLAN_STATUS_LABELS['changed-since-agreed']).toBe('Changed since it was agreed');
		expect(SHOWN_PLAN_STATUS_LABELS.draft).toBe('Being written');
		overwriteGetLocale(() => 'de');
		expect(SHOWN_PLAN_STATUS_LABELS['waiting-for-agreement']).toBe('Wartet auf Zustimmung');
		expect(SHOWN_PLAN_STATUS_LABELS.closed).not.toBe('Closed');
	});
});
