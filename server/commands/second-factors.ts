import {
	clearSecondFactorReset,
	codeAccepted,
	countUnusedRecoveryCodes,
	findUnconfirmedAuthenticator,
	listAuthenticators,
	listSecondFactors,
	openCodeGate,
	removeSecondFactor as removeFactor,
	replaceRecoveryCodes,
	spendAuthenticatorStep,
	spendRecoveryCode,
	startAuthenticator,
	type SecondFactorKind
} from '../../db/second-factors.ts';
import { findAccountById } from '../../db/accounts.ts';
import { verifyPassword } from '../../db/password.ts';
import { seal, unseal } from '../../db/secret-box.ts';
import { markSecondFactorVerified, markSessionConfirmed, type SessionUser } from '../../db/session.ts';
import { done, refused, type Outcome } from '../../src/lib/shared/outcome.ts';
import { secondFactorRequired, type SecondFactorPolicy } from '../../src/lib/shared/sign-in-policy.ts';
import {
	authenticatorUri,
	hashRecoveryCode,
	keyForTyping,
	matchingStep,
	newAuthenticatorKey,
	newRecoveryCodes,
	readAuthenticatorCode,
	readRecoveryCode
} from '../second-factor-codes.ts';
import { auditAs, type CommandContext } from './actor.ts';

/** The installation's key for authenticator apps (ENCRYPTION_KEY); undefined when it has none. */
export type SealingKey = Uint8Array | undefined;

export type CodeRefusal = 'code-missing' | 'code-wrong' | 'code-throttled';

/** An authenticator app being set up: what the person scans or types into it. */
export interface AuthenticatorSetup {
	/** The otpauth:// address (shown as a QR code). */
	uri: string;
	/** The key for typing, in groups of four. */
	key: string;
}

/**
 * The authenticator app the person is setting up: the unfinished one if they opened the page before (so a reload
 * shows the same code to scan), else a new key. Refused when the installation has no ENCRYPTION_KEY to seal it with.
 */
export async function authenticatorSetup(
	context: CommandContext,
	user: SessionUser,
	sealingKey: SealingKey
): Promise<Outcome<AuthenticatorSetup, 'authenticator-unavailable'>> {
	if (!sealingKey) return refused('authenticator-unavailable');
	const unfinished = await findUnconfirmedAuthenticator(context.db, user.id);
	let key = unfinished ? unseal(sealingKey, unfinished.sealedKey) : null;
	if (!key) {
		key = newAuthenticatorKey();
		await startAuthenticator(context.db, user.id, seal(sealingKey, key));
	}
	return done({ uri: authenticatorUri(user.username, key), key: keyForTyping(key) });
}

/**
 * Finishes setting up an authenticator app with its first code. The first factor a person sets up comes with ten
 * recovery codes, returned here to be shown once; a later one returns null (their codes stay as they are).
 */
export async function confirmAuthenticator(
	context: CommandContext,
	user: SessionUser,
	input: { code: unknown },
	sealingKey: SealingKey
): Promise<Outcome<{ recoveryCodes: string[] | null }, CodeRefusal | 'authenticator-unavailable' | 'authenticator-not-started'>> {
	if (!sealingKey) return refused('authenticator-unavailable');
	const code = typeof input.code === 'string' ? readAuthenticatorCode(input.code) : null;
	if (!code) return refused('code-missing');
	const unfinished = await findUnconfirmedAuthenticator(context.db, user.id);
	const key = unfinished ? unseal(sealingKey, unfinished.sealedKey) : null;
	if (!unfinished || !key) return refused('authenticator-not-started');
	const gate = await openCodeGate(context.db, user.id);
	if (!gate.open) return throttled(context, user, gate.retryAfterSeconds, 'enrol');
	const step = matchingStep(key, code);
	if (step === null || !(await spendAuthenticatorStep(context.db, unfinished.id, step))) {
		await auditAs(context, { action: 'second_factor.failed', targetType: 'user', targetId: user.id, detail: { kind: 'authenticator', purpose: 'enrol' } });
		return refused('code-wrong');
	}
	await codeAccepted(context.db, gate.attemptId);
	await auditAs(context, { action: 'second_factor.enrolled', targetType: 'user', targetId: user.id, detail: { kind: 'authenticator' } });
	return done({ recoveryCodes: await afterEnrolment(context, user) });
}

/**
 * What follows a new factor (an authenticator app or a passkey): an administrator's reset no longer waits, and a
 * person without recovery codes gets ten (returned to be shown once; null when they already have some).
 */
export async function afterEnrolment(context: CommandContext, user: SessionUser): Promise<string[] | null> {
	await clearSecondFactorReset(context.db, user.id);
	if ((await countUnusedRecoveryCodes(context.db, user.id)) > 0) return null;
	return makeRecoveryCodes(context, user);
}

async function makeRecoveryCodes(context: CommandContext, user: SessionUser): Promise<string[]> {
	const codes = newRecoveryCodes();
	await replaceRecoveryCodes(context.db, user.id, codes.map(hashRecoveryCode));
	await auditAs(context, { action: 'second_factor.recovery_codes_made', targetType: 'user', targetId: user.id });
	return codes;
}

/** A new set of ten recovery codes, the old ones no longer working. Only for someone who has a factor. */
export async function replaceMyRecoveryCodes(context: CommandContext, user: SessionUser): Promise<Outcome<string[], 'factor-none'>> {
	if ((await listSecondFactors(context.db, user.id)).length === 0) return refused('factor-none');
	return done(await makeRecoveryCodes(context, user));
}

/** Why a code was asked for: the second step of signing in, or confirming who one is before a sensitive action. */
export type CodePurpose = 'sign-in' | 'confirm';

/**
 * Checks a code from the person's authenticator app, or one of their recovery codes, and marks the session as
 * having its second factor now. Each code works once; wrong codes are throttled (five in 15 minutes).
 */
export async function useSecondFactorCode(
	context: CommandContext,
	user: SessionUser,
	sessionId: string,
	input: { code: unknown; purpose: CodePurpose },
	sealingKey: SealingKey
): Promise<Outcome<{ via: 'authenticator' | 'recovery-code'; recoveryCodesLeft: number | null }, CodeRefusal>> {
	const typed = typeof input.code === 'string' ? input.code : '';
	const appCode = readAuthenticatorCode(typed);
	const recovery = appCode ? null : readRecoveryCode(typed);
	if (!appCode && !recovery) return refused(typed.trim() ? 'code-wrong' : 'code-missing');
	const gate = await openCodeGate(context.db, user.id);
	if (!gate.open) return throttled(context, user, gate.retryAfterSeconds, input.purpose);

	let via: 'authenticator' | 'recovery-code' | null = null;
	if (appCode && sealingKey) {
		for (const app of await listAuthenticators(context.db, user.id)) {
			const key = unseal(sealingKey, app.sealedKey);
			const step = key ? matchingStep(key, appCode) : null;
			if (step !== null && (await spendAuthenticatorStep(context.db, app.id, step))) {
				via = 'authenticator';
				break;
			}
		}
	} else if (recovery && (await spendRecoveryCode(context.db, user.id, hashRecoveryCode(recovery)))) {
		via = 'recovery-code';
	}
	if (!via) {
		await auditAs(context, {
			action: 'second_factor.failed',
			targetType: 'user',
			targetId: user.id,
			detail: { kind: appCode ? 'authenticator' : 'recovery-code', purpose: input.purpose }
		});
		return refused('code-wrong');
	}
	await codeAccepted(context.db, gate.attemptId);
	await markSecondFactorVerified(context.db, sessionId);
	let recoveryCodesLeft: number | null = null;
	if (via === 'recovery-code') {
		recoveryCodesLeft = await countUnusedRecoveryCodes(context.db, user.id);
		await auditAs(context, {
			action: 'second_factor.recovery_used',
			targetType: 'user',
			targetId: user.id,
			detail: { purpose: input.purpose, left: recoveryCodesLeft }
		});
	} else {
		await auditAs(context, {
			action: 'second_factor.verified',
			targetType: 'user',
			targetId: user.id,
			detail: { kind: 'authenticator', purpose: input.purpose }
		});
	}
	return done({ via, recoveryCodesLeft });
}

/**
 * Confirms who the person is with their password, for someone without a second factor (a service user who has not
 * turned one on) before a sensitive action. Throttled like codes.
 */
export async function confirmWithPassword(
	context: CommandContext,
	user: SessionUser,
	sessionId: string,
	input: { password: unknown }
): Promise<Outcome<void, 'password-missing' | 'current-password-wrong' | 'code-throttled'>> {
	if (typeof input.password !== 'string' || input.password === '') return refused('password-missing');
	const gate = await openCodeGate(context.db, user.id);
	if (!gate.open) return throttled(context, user, gate.retryAfterSeconds, 'confirm');
	const account = await findAccountById(context.db, user.id);
	if (!account?.passwordHash || !(await verifyPassword(account.passwordHash, input.password))) {
		await auditAs(context, { action: 'second_factor.failed', targetType: 'user', targetId: user.id, detail: { kind: 'password', purpose: 'confirm' } });
		return refused('current-password-wrong');
	}
	await codeAccepted(context.db, gate.attemptId);
	await markSessionConfirmed(context.db, sessionId);
	await auditAs(context, { action: 'session.confirmed', targetType: 'user', targetId: user.id, detail: { via: 'password' } });
	return done(undefined);
}

async function throttled(context: CommandContext, user: SessionUser, retryAfterSeconds: number, purpose: string): Promise<Outcome<never, 'code-throttled'>> {
	await auditAs(context, { action: 'second_factor.throttled', targetType: 'user', targetId: user.id, detail: { purpose } });
	return refused('code-throttled', { minutes: Math.max(1, Math.ceil(retryAfterSeconds / 60)) });
}

const KINDS: readonly SecondFactorKind[] = ['authenticator', 'passkey'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Removes one of the person's own factors. Someone who must have one (staff, under the policy) cannot remove the
 * last; a factor that is not theirs is "not found".
 */
export async function removeMySecondFactor(
	context: CommandContext,
	user: SessionUser,
	input: { kind: unknown; id: unknown },
	policy: SecondFactorPolicy
): Promise<Outcome<void, 'factor-not-found' | 'factor-last-one'>> {
	const { kind, id } = input;
	if (!KINDS.includes(kind as SecondFactorKind) || typeof id !== 'string' || !UUID.test(id)) return refused('factor-not-found');
	const result = await removeFactor(context.db, user.id, { kind: kind as SecondFactorKind, id }, secondFactorRequired(user.role, policy));
	if (result === 'not-found') return refused('factor-not-found');
	if (result === 'last-one') return refused('factor-last-one');
	await auditAs(context, { action: 'second_factor.removed', targetType: 'user', targetId: user.id, detail: { kind } });
	return done(undefined);
}
