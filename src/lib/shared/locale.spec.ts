import { describe, expect, it } from 'vitest';
import { m } from '../paraglide/messages.js';
import { chooseLocale, localeFromAcceptLanguage, translated } from './locale.ts';

describe('localeFromAcceptLanguage', () => {
	it('takes the most wanted of our languages, a regional form matching its language', () => {
		expect(localeFromAcceptLanguage('de-CH,de;q=0.9,en;q=0.5')).toBe('de');
		expect(localeFromAcceptLanguage('fr-FR, en-GB;q=0.4, de;q=0.3')).toBe('en');
		expect(localeFromAcceptLanguage('en;q=0.2, de;q=0.8')).toBe('de');
		expect(localeFromAcceptLanguage('DE-at')).toBe('de');
	});

	it('keeps the browser’s order between languages of the same weight', () => {
		expect(localeFromAcceptLanguage('en, de')).toBe('en');
		expect(localeFromAcceptLanguage('de, en')).toBe('de');
	});

	it('finds nothing in a header that asks for none of ours, refuses one, or is not a header at all', () => {
		for (const header of [undefined, null, '', '*', 'fr, es;q=0.5', 'de;q=0', ';;,,q=1', 'de;q=abc', 'x'.repeat(10_000)]) {
			expect(localeFromAcceptLanguage(header), String(header).slice(0, 20)).toBeUndefined();
		}
	});
});

describe('chooseLocale', () => {
	const nothing = { saved: null, cookie: undefined, acceptLanguage: undefined, fallback: 'de' as const };

	it('goes: saved preference, this device, the browser, the installation', () => {
		expect(chooseLocale({ saved: 'en', cookie: 'de', acceptLanguage: 'de', fallback: 'de' })).toBe('en');
		expect(chooseLocale({ ...nothing, cookie: 'en', acceptLanguage: 'de' })).toBe('en');
		expect(chooseLocale({ ...nothing, acceptLanguage: 'en-US' })).toBe('en');
		expect(chooseLocale(nothing)).toBe('de');
	});

	it('skips a value that names no language of ours', () => {
		expect(chooseLocale({ saved: 'fr', cookie: 'xx', acceptLanguage: 'it', fallback: 'en' })).toBe('en');
	});
});

describe('translated', () => {
	it('looks each label up when it is read, in the language asked for then', () => {
		const labels = translated({ nurse: () => m.discipline_nurse() });
		expect(labels.nurse).toBe('Nurse');
		expect(Object.keys(labels)).toEqual(['nurse']);
		const german = translated({ nurse: () => m.discipline_nurse({}, { locale: 'de' }) });
		expect(german.nurse).toBe('Pflegefachkraft');
	});
});
