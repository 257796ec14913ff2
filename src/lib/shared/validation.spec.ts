import { describe, expect, it } from 'vitest';
import { wordsFor } from './outcome-words.ts';
import { checkDiscipline, checkNewPassword, checkOptionalDate, checkUsername, isUuid } from './validation.ts';

describe('checkUsername', () => {
	it('lower-cases and trims', () => {
		expect(checkUsername('  Alex.M ')).toEqual({ ok: true, value: 'alex.m' });
	});
	it('rejects empty, short and odd usernames with a code that has words', () => {
		for (const raw of [undefined, '', 'ab', '-alex', 'alex smith', 'a'.repeat(41)]) {
			const result = checkUsername(raw);
			expect(result.ok).toBe(false);
			if (!result.ok) expect(wordsFor(result).length).toBeGreaterThan(10);
		}
	});
});

describe('checkNewPassword', () => {
	it('accepts a long passphrase', () => {
		expect(checkNewPassword('blue kettle morning', 'alex').ok).toBe(true);
	});
	it('rejects short, common, repeated and username-containing passwords', () => {
		expect(checkNewPassword('short', null).ok).toBe(false);
		expect(checkNewPassword('Password123', null).ok).toBe(false);
		expect(checkNewPassword('aaaaaaaaaaaa', null).ok).toBe(false);
		expect(checkNewPassword('my-alex-password', 'alex').ok).toBe(false);
	});
});

describe('checkDiscipline', () => {
	it('requires a discipline only for professionals', () => {
		expect(checkDiscipline('service_user', 'nurse')).toEqual({ ok: true, value: null });
		expect(checkDiscipline('professional', '').ok).toBe(false);
		expect(checkDiscipline('professional', 'surgeon').ok).toBe(false);
		expect(checkDiscipline('professional', 'peer_worker')).toEqual({ ok: true, value: 'peer_worker' });
	});
});

describe('checkOptionalDate', () => {
	it('accepts real dates and empty input', () => {
		expect(checkOptionalDate('2027-02-28')).toEqual({ ok: true, value: '2027-02-28' });
		expect(checkOptionalDate('')).toEqual({ ok: true, value: null });
	});
	it('rejects impossible and malformed dates', () => {
		expect(checkOptionalDate('2027-02-30').ok).toBe(false);
		expect(checkOptionalDate('31/03/2027').ok).toBe(false);
	});
});

describe('isUuid', () => {
	it('recognises UUIDs only', () => {
		expect(isUuid('0b6f3f3e-8c1d-4b7a-9d52-5f0f6d2e1a77')).toBe(true);
		expect(isUuid('not-a-uuid')).toBe(false);
		expect(isUuid('0b6f3f3e-8c1d-4b7a-9d52-5f0f6d2e1a77; drop table')).toBe(false);
	});
});
