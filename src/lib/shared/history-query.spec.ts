import { describe, expect, it } from 'vitest';
import { wordsFor } from './outcome-words.ts';
import { checkHistoryQuery, checkSeq, HISTORY_PAGE_SIZE } from './history-query.ts';

const query = (text: string) => checkHistoryQuery(new URLSearchParams(text));

describe('checkHistoryQuery', () => {
	it('reads every parameter, with a default page size', () => {
		const person = '0b6f3f3e-8c1d-4b7a-9d52-5f0f6d2e1a77';
		expect(query('')).toEqual({ ok: true, value: { before: undefined, limit: HISTORY_PAGE_SIZE, person: undefined, section: undefined } });
		expect(query(`before=42&limit=5&person=${person}&section=goals`)).toEqual({ ok: true, value: { before: 42, limit: 5, person, section: 'goals' } });
		expect(query('section=crisis&limit=100')).toMatchObject({ ok: true, value: { section: 'crisis', limit: 100 } });
	});

	it('refuses bad values with a message naming the parameter', () => {
		const cases: [string, RegExp][] = [
			['limit=0', /"limit" must be a whole number from 1 to 100/],
			['limit=101', /"limit"/],
			['limit=-1', /"limit"/],
			['limit=2.5', /"limit"/],
			['before=abc', /"before" must be a whole number/],
			['before=-3', /"before"/],
			['section=nope', /"section" must be one of: about, .*, goals/],
			['person=not-a-uuid', /"person" must be the id of a person/]
		];
		for (const [text, message] of cases) {
			const result = query(text);
			expect(result.ok, text).toBe(false);
			if (!result.ok) expect(wordsFor(result), text).toMatch(message);
		}
	});
});

describe('checkSeq', () => {
	it('accepts nothing or a whole number', () => {
		expect(checkSeq(null, 'from')).toEqual({ ok: true, value: undefined });
		expect(checkSeq('0', 'from')).toEqual({ ok: true, value: 0 });
		const refusal = checkSeq('1e3', 'to');
		expect(refusal).toMatchObject({ ok: false, code: 'query-whole-number', params: { name: 'to' } });
		if (!refusal.ok) expect(wordsFor(refusal)).toBe('"to" must be a whole number of 0 or more.');
	});
});
