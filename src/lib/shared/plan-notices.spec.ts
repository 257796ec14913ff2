import { describe, expect, it } from 'vitest';
import { encodePlanNotice, readPlanNotice, type PlanNotice } from './plan-notices.ts';

const by = { id: 'a1b2', name: 'Priya Shah' };

describe('readPlanNotice', () => {
	it('reads back every notice the server makes', () => {
		const notices: PlanNotice[] = [
			{ code: 'appointment-started', params: { by } },
			{ code: 'appointment-ended', params: { by, versionSeq: 12 } },
			{ code: 'plan-restored', params: { by, target: 'hope', fromSeq: 0, seq: 13 } },
			{ code: 'restore-undone', params: { by, target: 'plan', undoneSeq: 13, seq: 14 } }
		];
		for (const notice of notices) expect(readPlanNotice(JSON.parse(encodePlanNotice(notice)))).toEqual(notice);
	});

	it('refuses anything else, and drops fields it does not know', () => {
		for (const value of [
			null,
			'appointment-started',
			{ code: 'appointment-started' },
			{ code: 'appointment-started', params: { by: { id: '', name: 'x' } } },
			{ code: 'appointment-started', params: { by: { id: 'x', name: 'n'.repeat(201) } } },
			{ code: 'something-else', params: { by } },
			{ code: 'appointment-ended', params: { by, versionSeq: -1 } },
			{ code: 'plan-restored', params: { by, target: '__proto__', fromSeq: 0, seq: 1 } },
			{ code: 'plan-restored', params: { by, target: 'hope', fromSeq: 0, seq: 0 } },
			{ code: 'restore-undone', params: { by, target: 'hope', undoneSeq: 1.5, seq: 2 } }
		])
			expect(readPlanNotice(value), JSON.stringify(value)).toBeNull();
		expect(readPlanNotice({ code: 'appointment-started', params: { by: { ...by, html: '<b>' }, extra: 1 }, more: true })).toEqual({
			code: 'appointment-started',
			params: { by }
		});
	});
});
