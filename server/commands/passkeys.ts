import { findAccountById } from '../../db/accounts.ts';
import { recordAuditEvent } from '../../db/audit.ts';
import { addPasskey, consumeChallenge, createChallenge, findPasskeyByCredentialId, listPasskeys, recordPasskeyUse } from '../../db/passkeys.ts';
import { codeAccepted, openCodeGate } from '../../db/second-factors.ts';
import type { PasskeyCredential } from '../../db/schema/index.ts';
import type { SessionUser } from '../../db/session.ts';
import type { Database } from '../../db/types.ts';
import { done, refused, type Outcome, type Refusal } from '../../src/lib/shared/outcome.ts';
import {
	authenticationOptions,
	challengeOf,
	readAssertionAnswer,
	readAttestationAnswer,
	registrationOptions,
	userHandleOf,
	verifyAssertion,
	verifyRegistration,
	type AssertionAnswer,
	type CreationOptionsJSON,
	type RelyingParty,
	type RequestOptionsJSON
} from '../passkeys.ts';
import { auditAs, type CommandContext } from './actor.ts';
import { afterEnrolment } from './second-factors.ts';
import { startSession, type SessionOrigin, type StartedSession } from './sessions.ts';

/** A passkey's name is the person's own words for it ("My phone"). */
export const PASSKEY_NAME_MAX_LENGTH = 60;

export type PasskeyCode =
	'passkey-unreadable' | 'passkey-refused' | 'passkey-challenge-unknown' | 'passkey-not-recognised' | 'passkey-throttled' | 'passkey-busy';

/** The fields a page sends on from navigator.credentials.get, base64url. */
export interface AssertionFields {
	credentialId: unknown;
	clientDataJSON: unknown;
	authenticatorData: unknown;
	signature: unknown;
	userHandle: unknown;
}

const minutesOf = (seconds: number) => Math.max(1, Math.ceil(seconds / 60));
const sameBytes = (a: Uint8Array, b: Uint8Array) => a.byteLength === b.byteLength && a.every((byte, index) => byte === b[index]);

/** What the browser is asked for to make a passkey for the person (a new challenge, their passkeys excluded). */
export async function passkeyRegistrationOptions(context: CommandContext, user: SessionUser, rp: RelyingParty): Promise<CreationOptionsJSON> {
	const challenge = await createChallenge(context.db, { purpose: 'register', userId: user.id, ip: ipOf(context) });
	const existing = await listPasskeys(context.db, user.id);
	return registrationOptions(
		rp,
		challenge!,
		user,
		existing.map((passkey) => passkey.credentialId)
	);
}

/**
 * Registers a passkey the browser made in answer to passkeyRegistrationOptions, under the name the person gave it
 * (1 to 60 characters). The challenge works once; the passkey must be verified (server/passkeys.ts). The first factor
 * a person sets up comes with ten recovery codes, returned to be shown once (null for a later one).
 */
export async function registerPasskey(
	context: CommandContext,
	user: SessionUser,
	input: { name: unknown; clientDataJSON: unknown; attestationObject: unknown },
	rp: RelyingParty
): Promise<
	Outcome<
		Pick<PasskeyCredential, 'id' | 'name'> & { recoveryCodes: string[] | null },
		'passkey-name-missing' | 'passkey-name-too-long' | 'passkey-already-registered' | 'passkey-unreadable' | 'passkey-refused' | 'passkey-challenge-unknown'
	>
> {
	const name = typeof input.name === 'string' ? input.name.trim().replace(/\s+/g, ' ') : '';
	if (name === '') return refused('passkey-name-missing');
	if (name.length > PASSKEY_NAME_MAX_LENGTH) return refused('passkey-name-too-long', { max: PASSKEY_NAME_MAX_LENGTH });
	const answer = readAttestationAnswer(input);
	if (!answer) return refused('passkey-unreadable');
	const challenge = challengeOf(answer.clientDataJSON);
	if (!challenge || !(await consumeChallenge(context.db, challenge, { purpose: 'register', userId: user.id }))) {
		return refused('passkey-challenge-unknown');
	}
	const verified = verifyRegistration(answer, rp);
	if (!verified.ok) return refused('passkey-refused');
	const added = await addPasskey(context.db, { userId: user.id, name, ...verified.value });
	if (!added) return refused('passkey-already-registered');
	await auditAs(context, { action: 'second_factor.enrolled', targetType: 'user', targetId: user.id, detail: { kind: 'passkey', passkeyId: added.id } });
	return done({ id: added.id, name: added.name, recoveryCodes: await afterEnrolment(context, user) });
}

/** What the browser is asked for to use one of the person's passkeys as their second factor. */
export async function passkeyVerificationOptions(context: CommandContext, user: SessionUser, rp: RelyingParty): Promise<RequestOptionsJSON> {
	const challenge = await createChallenge(context.db, { purpose: 'verify', userId: user.id, ip: ipOf(context) });
	const passkeys = await listPasskeys(context.db, user.id);
	return authenticationOptions(
		rp,
		challenge!,
		passkeys.map((passkey) => passkey.credentialId)
	);
}

/**
 * Checks one of the person's passkeys as their second factor: at sign-in after the password (`sign_in`), or to
 * confirm who they are before a sensitive action (`confirm`). Throttled with the account's other second-factor checks;
 * every failure is recorded with why. The caller marks the session once this succeeds.
 */
export async function verifyPasskeySecondFactor(
	context: CommandContext,
	user: SessionUser,
	fields: AssertionFields,
	rp: RelyingParty,
	step: 'sign_in' | 'confirm'
): Promise<Outcome<void, PasskeyCode>> {
	const answer = readAssertionAnswer(fields);
	if (!answer) return refused('passkey-unreadable');
	const gate = await openCodeGate(context.db, user.id);
	if (!gate.open) {
		await auditAs(context, { action: 'second_factor.throttled', targetType: 'user', targetId: user.id, detail: { kind: 'passkey', step } });
		return refused('passkey-throttled', { minutes: minutesOf(gate.retryAfterSeconds) });
	}
	const failed = async <C extends PasskeyCode>(refusal: Refusal<C>, reason: string): Promise<Refusal<C>> => {
		await auditAs(context, { action: 'second_factor.failed', targetType: 'user', targetId: user.id, detail: { kind: 'passkey', step, reason } });
		return refusal;
	};
	const challenge = challengeOf(answer.clientDataJSON);
	if (!challenge || !(await consumeChallenge(context.db, challenge, { purpose: 'verify', userId: user.id }))) {
		return failed(refused('passkey-challenge-unknown'), 'challenge');
	}
	const passkey = await findPasskeyByCredentialId(context.db, answer.credentialId);
	// Someone else's passkey is no more this person's than an unknown one.
	if (!passkey || passkey.userId !== user.id) return failed(refused('passkey-not-recognised'), 'unknown credential');
	const used = await usePasskey(context.db, answer, passkey, rp);
	if (!used.ok) return failed(refused('passkey-refused'), used.code);
	await codeAccepted(context.db, gate.attemptId);
	await auditAs(context, {
		action: step === 'confirm' ? 'session.confirmed' : 'second_factor.verified',
		targetType: 'user',
		targetId: user.id,
		detail: { kind: 'passkey', passkeyId: passkey.id }
	});
	return done(undefined);
}

/**
 * What the browser is asked for to sign in with a passkey and nothing else: any passkey of this site (the
 * authenticator offers the ones it holds). Refused while the address holds too many open requests.
 */
export async function passkeySignInOptions(
	db: Database,
	client: { ip: string | null },
	rp: RelyingParty
): Promise<Outcome<RequestOptionsJSON, 'passkey-busy'>> {
	const challenge = await createChallenge(db, { purpose: 'sign_in', userId: null, ip: client.ip });
	if (!challenge) return refused('passkey-busy');
	return done(authenticationOptions(rp, challenge, []));
}

/**
 * Signs in with a passkey alone: the passkey says who the person is, and, made with user verification, counts as
 * both factors, so the session starts with its second factor done. A disabled account is refused like an unknown
 * passkey. Throttled per account with its second-factor checks; every attempt is recorded.
 */
export async function signInWithPasskey(
	db: Database,
	attempt: AssertionFields & SessionOrigin,
	rp: RelyingParty
): Promise<Outcome<StartedSession & { user: SessionUser }, PasskeyCode>> {
	const answer = readAssertionAnswer(attempt);
	if (!answer) return refused('passkey-unreadable');
	const failed = async <C extends PasskeyCode>(refusal: Refusal<C>, reason: string, userId: string | null = null): Promise<Refusal<C>> => {
		await recordAuditEvent(db, {
			actorId: null,
			action: 'sign_in.failed',
			targetType: userId ? 'user' : undefined,
			targetId: userId,
			ip: attempt.ip,
			detail: { via: 'passkey', reason }
		});
		return refusal;
	};
	const challenge = challengeOf(answer.clientDataJSON);
	if (!challenge || !(await consumeChallenge(db, challenge, { purpose: 'sign_in', userId: null }))) {
		return failed(refused('passkey-challenge-unknown'), 'challenge');
	}
	const passkey = await findPasskeyByCredentialId(db, answer.credentialId);
	if (!passkey) return failed(refused('passkey-not-recognised'), 'unknown credential');
	const account = await findAccountById(db, passkey.userId);
	if (!account || account.disabledAt !== null) return failed(refused('passkey-not-recognised'), 'account disabled', passkey.userId);
	const gate = await openCodeGate(db, account.id);
	if (!gate.open) {
		await recordAuditEvent(db, {
			actorId: null,
			action: 'sign_in.throttled',
			targetType: 'user',
			targetId: account.id,
			ip: attempt.ip,
			detail: { via: 'passkey', scope: 'account' }
		});
		return refused('passkey-throttled', { minutes: minutesOf(gate.retryAfterSeconds) });
	}
	const used = await usePasskey(db, answer, passkey, rp);
	if (!used.ok) return failed(refused('passkey-refused'), used.code, account.id);
	await codeAccepted(db, gate.attemptId);
	const { id, username, displayName, role, discipline, locale } = account;
	const user: SessionUser = { id, username, displayName, role, discipline, locale };
	const session = await startSession(db, user.id, { ip: attempt.ip, userAgent: attempt.userAgent, secondFactorVerified: true });
	await recordAuditEvent(db, { actorId: user.id, action: 'sign_in', targetType: 'user', targetId: user.id, ip: attempt.ip, detail: { via: 'passkey' } });
	return done({ ...session, user });
}

/**
 * Verifies a use of a stored passkey and records it: the signature, the ceremony (server/passkeys.ts), the user
 * handle when the authenticator gave one, and a signature counter that moved forward (also against a use at the same
 * moment).
 */
async function usePasskey(db: Database, answer: AssertionAnswer, passkey: PasskeyCredential, rp: RelyingParty): Promise<Outcome<void, string>> {
	if (answer.userHandle && !sameBytes(answer.userHandle, userHandleOf(passkey.userId))) return refused('passkey-user-handle');
	const verified = verifyAssertion(answer, passkey, rp);
	if (!verified.ok) return verified;
	if (!(await recordPasskeyUse(db, passkey.id, verified.value.signCount))) return refused('passkey-cloned');
	return done(undefined);
}

const ipOf = (context: CommandContext) => (context.actor.kind === 'person' ? context.actor.ip : null);
