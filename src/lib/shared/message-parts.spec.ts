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

	it('follows the translation’s word order, and keeps the whole sentence when a translation leaves the placeholder out', () => {
		expect(aroundPlaceholder((phone) => `Rufen Sie ${phone} an.`)).toEqual(['Rufen Sie ', ' an.']);
		expect(aroundPlaceholder(() => 'Call the line.')).toEqual(['Call the line.', '']);
	});
});
