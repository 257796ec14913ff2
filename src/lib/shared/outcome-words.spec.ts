import { afterEach, describe, expect, it } from 'vitest';
import { getLocale, overwriteGetLocale, type Locale } from '../paraglide/runtime.js';
import { wordsFor } from './outcome-words.ts';

const original = getLocale;
const inLanguage = (locale: Locale) => overwriteGetLocale(() => locale);
afterEach(() => overwriteGetLocale(original));

describe('wordsFor', () => {
	it('counts the minutes to wait, and names what was throttled', () => {
		expect(wordsFor({ code: 'sign-in-throttled', params: { scope: 'account', minutes: 1 } })).toMatch(
			/^There have been too many attempts to sign in to this account\. For your safety, please wait 1 minute and try again\. /
		);
		expect(wordsFor({ code: 'sign-in-throttled', params: { scope: 'device', minutes: 15 } })).toContain(
			'sign in from this device. For your safety, please wait 15 minutes'
		);
		inLanguage('de');
		expect(wordsFor({ code: 'sign-in-throttled', params: { scope: 'device', minutes: 15 } })).toContain('sich von diesem Gerät aus anzumelden');
		expect(wordsFor({ code: 'sign-in-throttled', params: { scope: 'account', minutes: 1 } })).toContain('bitte 1 Minute und');
	});

	it('says what a restore brought back: a section by its title in the page’s language, or the whole plan', () => {
		expect(wordsFor({ code: 'plan-restored', params: { target: 'plan' } })).toBe(
			'The whole plan is back as it was in this version. This shows in the history as your change.'
		);
		expect(wordsFor({ code: 'restore-undone', params: { target: 'hope' } })).toBe(
			'Undone: “Hope and optimism” is as it was before. This shows in the history as your change.'
		);
		inLanguage('de');
		expect(wordsFor({ code: 'plan-restored', params: { target: 'hope' } })).toMatch(/^„Hoffnung und Zuversicht“ ist wieder so wie in dieser Fassung\./);
	});

	it('follows the language of the page each time it is called', () => {
		expect(wordsFor({ code: 'account-created', params: { name: 'Sam' } })).toBe('Account created for Sam.');
		inLanguage('de');
		expect(wordsFor({ code: 'account-created', params: { name: 'Sam' } })).toBe('Konto für Sam angelegt.');
		expect(wordsFor({ code: 'password-too-short' })).toMatch(/^Ihr Passwort braucht mindestens \d+ Zeichen\./);
	});

	it('says a refused language choice in every language, the page’s own first', () => {
		expect(wordsFor({ code: 'language-unknown' })).toBe('Please choose one of the languages in the list. Bitte wählen Sie eine der Sprachen aus der Liste.');
		inLanguage('de');
		expect(wordsFor({ code: 'language-unknown' })).toBe('Bitte wählen Sie eine der Sprachen aus der Liste. Please choose one of the languages in the list.');
	});
});
