import { describe, expect, it } from 'vitest';
import { aroundPlaceholder } from './message-parts.ts';

describe('aroundPlaceholder', () => {
	it('splits a sentence at its placeholder', () => {
		expect(aroundPlaceholder((link) => `See the ${link}.`)).toEqual(['See the ', '.']);
	});

	it('keeps a placeholder at either end', () => {
		expect(aroundPlaceholder((name) => `${name} joined.`)).toEqual(['', ' joined.']);
		expect(aroundPlaceholder((name) => `Welcome, ${name}`)).toEqual(['Welcome, ', '']);
	});
});
