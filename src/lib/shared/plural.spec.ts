import { describe, expect, it } from 'vitest';
import { plural, pluralWord } from './plural.ts';

describe('plural', () => {
	it('uses the singular for exactly one, and the plural for none and for many', () => {
		expect(plural(1, 'plan')).toBe('1 plan');
		expect(plural(0, 'plan')).toBe('0 plans');
		expect(plural(2, 'time')).toBe('2 times');
	});

	it('takes an irregular plural, and a verb that agrees with the count', () => {
		expect(plural(1, 'person', 'people')).toBe('1 person');
		expect(plural(3, 'person', 'people')).toBe('3 people');
		expect(plural(1, 'needs attention', 'need attention')).toBe('1 needs attention');
		expect(plural(4, 'needs attention', 'need attention')).toBe('4 need attention');
	});

	it('groups the digits of large counts', () => {
		expect(plural(1204, 'character')).toBe('1,204 characters');
	});
});

describe('pluralWord', () => {
	it('gives only the word, for a count shown on its own', () => {
		expect([0, 1, 2].map((count) => pluralWord(count, 'person', 'people'))).toEqual(['people', 'person', 'people']);
		expect(pluralWord(1, 'plan')).toBe('plan');
	});
});
