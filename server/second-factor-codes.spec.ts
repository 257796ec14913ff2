import { describe, expect, it } from 'vitest';
import {
	authenticatorCode,
	authenticatorUri,
	keyForTyping,
	matchingStep,
	newAuthenticatorKey,
	newRecoveryCodes,
	readAuthenticatorCode,
	readRecoveryCode,
	timeStep
} from './second-factor-codes.ts';

// RFC 6238, appendix B: the SHA-1 key "12345678901234567890", 8-digit codes; the last six digits are the 6-digit code.
const RFC_KEY = new TextEncoder().encode('12345678901234567890');

describe('authenticator codes', () => {
	it('matches the RFC 6238 test vectors', () => {
		expect(authenticatorCode(RFC_KEY, timeStep(59_000))).toBe('287082');
		expect(authenticatorCode(RFC_KEY, timeStep(1_111_111_109_000))).toBe('081804');
		expect(authenticatorCode(RFC_KEY, timeStep(20_000_000_000_000))).toBe('353130');
	});

	it('accepts the current step and one either side, and says which', () => {
		const now = 1_800_000_000_000;
		const step = timeStep(now);
		expect(matchingStep(RFC_KEY, authenticatorCode(RFC_KEY, step), now)).toBe(step);
		expect(matchingStep(RFC_KEY, authenticatorCode(RFC_KEY, step - 1), now)).toBe(step - 1);
		expect(matchingStep(RFC_KEY, authenticatorCode(RFC_KEY, step + 1), now)).toBe(step + 1);
		expect(matchingStep(RFC_KEY, authenticatorCode(RFC_KEY, step - 2), now)).toBeNull();
	});

	it('reads six digits as people type them, and nothing else', () => {
		expect(readAuthenticatorCode(' 123 456 ')).toBe('123456');
		expect(readAuthenticatorCode('123-456')).toBe('123456');
		expect(readAuthenticatorCode('12345')).toBeNull();
		expect(readAuthenticatorCode('12345a')).toBeNull();
		expect(readAuthenticatorCode('1234567')).toBeNull();
	});

	it('makes 160-bit keys, shown in groups of four and in an otpauth address', () => {
		const key = newAuthenticatorKey();
		expect(key).toHaveLength(20);
		expect(keyForTyping(key)).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
		const uri = new URL(authenticatorUri('tom', key));
		expect(uri.protocol).toBe('otpauth:');
		expect(uri.searchParams.get('issuer')).toBe('Chorus');
		expect(uri.searchParams.get('secret')).toBe(keyForTyping(key).replaceAll(' ', ''));
	});
});

describe('recovery codes', () => {
	it('makes ten different codes that read back as themselves, however they are typed', () => {
		const codes = newRecoveryCodes();
		expect(codes).toHaveLength(10);
		expect(new Set(codes).size).toBe(10);
		for (const code of codes) {
			expect(code).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
			expect(readRecoveryCode(code)).toBe(code);
			expect(readRecoveryCode(code.toUpperCase().replaceAll('-', ' '))).toBe(code);
		}
	});

	it('refuses what cannot be one (wrong length, letters that are never used)', () => {
		expect(readRecoveryCode('abcd-efgh')).toBeNull();
		expect(readRecoveryCode('abcd-efgh-ijk0')).toBeNull();
		expect(readRecoveryCode('123456')).toBeNull();
	});
});
