import { createSession, generateSessionToken, type SessionUser } from '../../db/session.ts';
import { signIn } from '../../db/sign-in.ts';
import type { Database } from '../../db/types.ts';
import { done, refused, type Outcome } from '../../src/lib/shared/outcome.ts';

/** Where a session was started from (kept with it, shown on the account page). */
export interface SessionOrigin {
	ip: string | null;
	userAgent: string | null;
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
	const session = await startSession(db, result.user.id, attempt);
	return done({ ...session, user: result.user });
}
