import { afterEach, describe, expect, it } from 'vitest';
import { getLocale, overwriteGetLocale } from '../paraglide/runtime.js';
import { versionName } from './version-names.ts';

const at = new Date('2026-12-03T12:00:00Z');
const pageLocale = getLocale;
afterEach(() => overwriteGetLocale(pageLocale));

describe('version names', () => {
	it('keeps the name someone gave', () => {
		expect(versionName({ kind: 'manual', name: 'Our winter plan', createdAt: at })).toBe('Our winter plan');
	});

	it('names an unnamed version by its kind and day, in the reader’s language', () => {
		expect(versionName({ kind: 'manual', name: null, createdAt: at })).toBe('Saved 3 December 2026');
		expect(versionName({ kind: 'agreement', name: null, createdAt: at })).toBe('Put forward for agreement 3 December 2026');
		expect(versionName({ kind: 'appointment', name: null, createdAt: at.toISOString() })).toBe('After our appointment on 3 December 2026');
	});

	it('says the default name in German for a German reader', () => {
		overwriteGetLocale(() => 'de');
		expect(versionName({ kind: 'agreement', name: null, createdAt: at })).toBe('Zur Zustimmung vorgelegt am 3. Dezember 2026');
	});
});
