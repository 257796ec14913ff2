import { announceAccessChange } from '../../db/access-events.ts';
import { findAccountById, setAccountPassword } from '../../db/accounts.ts';
import { hashPassword, verifyPassword } from '../../db/password.ts';
import { createSession, generateSessionToken, invalidateSession, invalidateUserSessions, listUserSessions, type SessionUser } from '../../db/session.ts';
import { signIn } from '../../db/sign-in.ts';
import type { Database } from '../../db/types.ts';
import { done, refused, type Outcome } from '../../src/lib/shared/outcome.ts';
import { checkNewPassword, type InvalidCode } from '../../src/lib/shared/validation.ts';
import { auditAs, type CommandContext } from './actor.ts';

/** Where a session was started from (kept with it, shown on the account page). */
export interface SessionOrigin {
	ip: string | null;
	userAgent: string | null;
	/** The new session has its second factor already (a passkey sign-in; a password change in a verified session). */
	secondFactorVerified?: boolean;
}

/** A new session: the token goes into the cookie, only its hash is stored. */
export interface StartedSession {
	token: string;
	expiresAt: Date;
}

export type SignInCode = 'sign-in-incomplete' | 'sign-in-mismatch' | 'sign-in-throttled';

/**
 * Starts a session for the person. A fresh token every time: a session id known before sign-in is never reused.
 */
export async function startSession(db: Database, userId: string, origin: SessionOrigin): Promise<StartedSession> {
	const token = generateSessionToken();
	const session = await createSession(db, token, userId, origin);
	return { token, expiresAt: session.expiresAt };
}

/**
 * Signs a person in with their username and password (throttled per account and per address, see db/sign-in.ts)
 * and starts their session.
 */
export async function signInWithPassword(
	db: Database,
	attempt: { username: unknown; password: unknown } & SessionOrigin
): Promise<Outcome<StartedSession & { user: SessionUser }, SignInCode>> {
	const { username, password } = attempt;
	if (typeof username !== 'string' || typeof password !== 'string' || username.trim() === '' || password === '') {
		return refused('sign-in-incomplete');
	}
	const result = await signIn(db, { username: username.trim().toLowerCase(), password, ip: attempt.ip });
	if (!result.ok) {
		if (result.reason === 'throttled') {
			return refused('sign-in-throttled', { scope: result.scope, minutes: Math.max(1, Math.ceil(result.retryAfterSeconds / 60)) });
		}
		return refused('sign-in-mismatch');
	}
	const session = await startSession(db, result.user.id, { ip: attempt.ip, userAgent: attempt.userAgent });
	return done({ ...session, user: result.user });
}

/** Signs out on this device: the session ends, and so do its live plan connections. */
export async function endSession(context: CommandContext, user: SessionUser, sessionId: string): Promise<void> {
	await invalidateSession(context.db, sessionId);
	await auditAs(context, { action: 'sign_out', targetType: 'user', targetId: user.id });
	announceAccessChange({ kind: 'session_ended', sessionId });
}

/**
 * Signs the person out on one of their other devices (from "Where I am signed in"): that session ends, with its live
 * plan connections. A session that is not theirs (or already ended) is "not found", so nobody learns of others'.
 */
export async function endOtherSession(context: CommandContext, user: SessionUser, sessionId: unknown): Promise<Outcome<void, 'session-not-found'>> {
	if (typeof sessionId !== 'string' || !(await listUserSessions(context.db, user.id)).some((session) => session.id === sessionId)) {
		return refused('session-not-found');
	}
	await invalidateSession(context.db, sessionId);
	await auditAs(context, { action: 'sign_out.device', targetType: 'user', targetId: user.id });
	announceAccessChange({ kind: 'session_ended', sessionId });
	return done(undefined);
}

/** Signs the person out everywhere: every session of theirs ends, with its live plan connections. */
export async function endAllSessions(context: CommandContext, user: SessionUser): Promise<void> {
	await invalidateUserSessions(context.db, user.id);
	await auditAs(context, { action: 'sign_out.everywhere', targetType: 'user', targetId: user.id });
	announceAccessChange({ kind: 'user_signed_out', userId: user.id });
}

/**
 * Changes the person's own password after checking the current one. Every other session ends; this device gets a
 * fresh one.
 */
export async function changeOwnPassword(
	context: CommandContext,
	user: SessionUser,
	answers: { current: unknown; password: unknown; confirm: unknown },
	origin: SessionOrigin
): Promise<Outcome<StartedSession, 'current-password-wrong' | InvalidCode | 'new-passwords-differ'>> {
	const { db } = context;
	const account = await findAccountById(db, user.id);
	if (!account?.passwordHash || typeof answers.current !== 'string' || !(await verifyPassword(account.passwordHash, answers.current))) {
		return refused('current-password-wrong');
	}
	const next = checkNewPassword(answers.password, user.username);
	if (!next.ok) return next;
	if (answers.confirm !== next.value) return refused('new-passwords-differ');
	await setAccountPassword(db, user.id, await hashPassword(next.value));
	await invalidateUserSessions(db, user.id);
	announceAccessChange({ kind: 'user_signed_out', userId: user.id });
	const session = await startSession(db, user.id, origin);
	await auditAs(context, { action: 'account.password_set', targetType: 'user', targetId: user.id, detail: { via: 'account page' } });
	return done(session);
}
