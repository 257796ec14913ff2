import { eq } from 'drizzle-orm';
import { session, user, type Session, type User } from './schema/index.ts';
import { generateSecretToken, hashToken } from './tokens.ts';
import type { Database } from './types.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Sessions last 30 days from the last use (sliding). */
export const SESSION_LIFETIME_MS = 30 * DAY_MS;
/** A session is extended once less than this much of its life remains, so not every request writes. */
const SESSION_RENEW_WITHIN_MS = 15 * DAY_MS;

export const SESSION_COOKIE = 'session';

/** The signed-in person as request handlers and the collaboration server see them. */
export type SessionUser = Pick<User, 'id' | 'username' | 'displayName' | 'role' | 'discipline' | 'locale'>;

export type SessionValidation = { session: Session; user: SessionUser } | { session: null; user: null };

export { generateSecretToken as generateSessionToken };

/** Stores a new session for the user; only the SHA-256 of the token is kept. */
export async function createSession(
	db: Database,
	token: string,
	userId: string,
	client: { ip?: string | null; userAgent?: string | null } = {}
): Promise<Session> {
	const row = {
		id: hashToken(token),
		userId,
		expiresAt: new Date(Date.now() + SESSION_LIFETIME_MS),
		createdAt: new Date(),
		ip: client.ip ?? null,
		userAgent: client.userAgent?.slice(0, 300) ?? null
	};
	await db.insert(session).values(row);
	return row;
}

/**
 * Looks up the session for a cookie token. Expired sessions and sessions of disabled accounts are
 * deleted and count as signed out; a session in the second half of its life is extended.
 */
export async function validateSessionToken(db: Database, token: string): Promise<SessionValidation> {
	const sessionId = hashToken(token);
	const [row] = await db
		.select({
			session,
			user: {
				id: user.id,
				username: user.username,
				displayName: user.displayName,
				role: user.role,
				discipline: user.discipline,
				locale: user.locale,
				disabledAt: user.disabledAt
			}
		})
		.from(session)
		.innerJoin(user, eq(session.userId, user.id))
		.where(eq(session.id, sessionId));
	if (!row) return { session: null, user: null };

	const { disabledAt, ...sessionUser } = row.user;
	const now = Date.now();
	if (disabledAt !== null || now >= row.session.expiresAt.getTime()) {
		await db.delete(session).where(eq(session.id, sessionId));
		return { session: null, user: null };
	}
	if (now >= row.session.expiresAt.getTime() - SESSION_RENEW_WITHIN_MS) {
		row.session.expiresAt = new Date(now + SESSION_LIFETIME_MS);
		await db.update(session).set({ expiresAt: row.session.expiresAt }).where(eq(session.id, sessionId));
	}
	return { session: row.session, user: sessionUser };
}

/** Ends one session (sign-out). */
export async function invalidateSession(db: Database, sessionId: string): Promise<void> {
	await db.delete(session).where(eq(session.id, sessionId));
}

/** Ends every session of a person (sign out everywhere, password change, account disabled). */
export async function invalidateUserSessions(db: Database, userId: string): Promise<void> {
	await db.delete(session).where(eq(session.userId, userId));
}

/** The person's current sessions, newest first, for "where am I signed in". */
export async function listUserSessions(db: Database, userId: string): Promise<Session[]> {
	const rows = await db.select().from(session).where(eq(session.userId, userId));
	return rows.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
}
