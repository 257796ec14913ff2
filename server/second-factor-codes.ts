// The codes of second factors, without storage: authenticator-app keys and codes (RFC 6238) and recovery codes.
import { createTOTPKeyURI, generateHOTP } from '@oslojs/otp';
import { encodeBase32UpperCaseNoPadding } from '@oslojs/encoding';
import { hashToken } from '../db/tokens.ts';

/** Authenticator apps: 30-second steps, 6 digits (what every app expects by default). */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** A code from the step before or after is accepted too: phone clocks drift, and people type slowly. */
const TOTP_DRIFT_STEPS = 1;

/** Ten recovery codes, each used once. */
export const RECOVERY_CODE_COUNT = 10;
/** Letters and digits that cannot be mistaken for one another when read from paper (no 0/o, 1/l/i). */
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const RECOVERY_GROUPS = 3;
const RECOVERY_GROUP_LENGTH = 4;

/** A new authenticator-app key: 160 random bits, as RFC 4226 recommends. */
export function newAuthenticatorKey(): Uint8Array {
	const key = new Uint8Array(20);
	crypto.getRandomValues(key);
	return key;
}

/** The key as people type it into an app that cannot scan: base32 in groups of four. */
export function keyForTyping(key: Uint8Array): string {
	return encodeBase32UpperCaseNoPadding(key).replace(/(.{4})(?=.)/g, '$1 ');
}

/** The otpauth:// address the QR code holds. */
export function authenticatorUri(accountName: string, key: Uint8Array): string {
	return createTOTPKeyURI('Chorus', accountName, key, TOTP_PERIOD_SECONDS, TOTP_DIGITS);
}

/** The time step (Unix time / 30 s) of a moment. */
export function timeStep(now = Date.now()): number {
	return Math.floor(now / 1000 / TOTP_PERIOD_SECONDS);
}

/** The code an authenticator app shows for a time step. */
export function authenticatorCode(key: Uint8Array, step: number): string {
	return generateHOTP(key, BigInt(step), TOTP_DIGITS);
}

/** Six digits, with the spaces people type or paste removed; null when it is not one. */
export function readAuthenticatorCode(input: string): string | null {
	const code = input.replace(/[\s-]/g, '');
	return /^\d{6}$/.test(code) ? code : null;
}

/**
 * The time step whose code this is, trying the current one first and then its neighbours; null when none matches.
 * The caller accepts it only if it is later than the last step used, so each code works once.
 */
export function matchingStep(key: Uint8Array, code: string, now = Date.now()): number | null {
	const current = timeStep(now);
	for (const offset of [0, -TOTP_DRIFT_STEPS, TOTP_DRIFT_STEPS]) {
		if (constantTimeEqual(authenticatorCode(key, current + offset), code)) return current + offset;
	}
	return null;
}

function constantTimeEqual(a: string, b: string): boolean {
	if (a.length !== b.length) return false;
	let difference = 0;
	for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
	return difference === 0;
}

/** Ten new recovery codes such as `k7mp-2xqa-h9dr` (about 59 random bits each). */
export function newRecoveryCodes(): string[] {
	return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
		const groups: string[] = [];
		for (let g = 0; g < RECOVERY_GROUPS; g++) {
			const bytes = new Uint8Array(RECOVERY_GROUP_LENGTH);
			crypto.getRandomValues(bytes);
			// 256 is not a multiple of 31: the slight bias leaves far more guessing than throttling allows.
			groups.push(Array.from(bytes, (byte) => RECOVERY_ALPHABET[byte % RECOVERY_ALPHABET.length]).join(''));
		}
		return groups.join('-');
	});
}

/** A recovery code as typed (any case, with or without dashes and spaces), in its stored form; null if it cannot be one. */
export function readRecoveryCode(input: string): string | null {
	const letters = input.toLowerCase().replace(/[\s-]/g, '');
	if (letters.length !== RECOVERY_GROUPS * RECOVERY_GROUP_LENGTH || ![...letters].every((c) => RECOVERY_ALPHABET.includes(c))) return null;
	return letters.match(new RegExp(`.{${RECOVERY_GROUP_LENGTH}}`, 'g'))!.join('-');
}

/** What is stored of a recovery code: its SHA-256 (the code is long and random, so a fast hash is enough). */
export function hashRecoveryCode(code: string): string {
	return hashToken(code);
}
