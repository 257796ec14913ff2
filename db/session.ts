import { and, eq, sql } from 'drizzle-orm';
import { recordAuditEvent } from './audit.ts';
import { auditEvent, passkeyCredential, session, totpCredential, user, type Session, type User } from './schema/index.ts';
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

/** What decides how far a session reaches (src/lib/shared/sign-in-policy.ts, sessionStanding). */
export interface SecondFactorFacts {
	/** The person's second factors: confirmed authenticator apps and passkeys. */
	factorCount: number;
	/** Set while an administrator's reset of the person's factors waits for a new enrolment. */
	secondFactorResetAt: Date | null;
}

/** Why a session that was presented no longer counts. */
export type SessionRefusal = 'unknown' | 'expired' | 'idle' | 'disabled';

export type SessionValidation = ({ session: Session; user: SessionUser } & SecondFactorFacts) | { session: null; user: null; refusal: SessionRefusal };

/** Which sessions end early: how long a session of each role may go without activity (null: no limit). */
export interface SessionLimits {
	idleLimitMs(role: User['role']): number | null;
}

/** True when a session of this role has gone without activity for longer than its limit. */
export function isIdleTooLong(role: User['role'], lastActiveAt: Date, limits: SessionLimits, now = Date.now()): boolean {
	const limit = limits.idleLimitMs(role);
	return limit !== null && now - lastActiveAt.getTime() > limit;
}

/** How long this session of this role has left before it ends for lack of activity (null: no limit); 0 once it has. */
export function idleTimeLeftMs(role: User['role'], lastActiveAt: Date, limits: SessionLimits, now = Date.now()): number | null {
	const limit = limits.idleLimitMs(role);
	return limit === null ? null : Math.max(0, limit - (now - lastActiveAt.getTime()));
}

/**
 * Records that a session ended for lack of activity, once: the plan socket sweep notices it first when a plan is
 * open (and closes the socket), the person's next request otherwise (which removes it and tells sign-in why).
 */
export async function recordIdleEnd(db: Database, sessionId: string, person: { id: string; role: User['role'] }, limits: SessionLimits): Promise<void> {
	const [recorded] = await db
		.select({ id: auditEvent.id })
		.from(auditEvent)
		.where(and(eq(auditEvent.action, 'session.ended_idle'), eq(auditEvent.targetType, 'session'), eq(auditEvent.targetId, sessionId)))
		.limit(1);
	if (recorded) return;
	const limit = limits.idleLimitMs(person.role);
	await recordAuditEvent(db, {
		actorId: null,
		action: 'session.ended_idle',
		targetType: 'session',
		targetId: sessionId,
		detail: { userId: person.id, idleMinutes: limit === null ? null : Math.round(limit / 60_000) }
	});
}

/** Activity is written at most this often per session, so not every request writes. */
const ACTIVITY_RESOLUTION_MS = 60_000;

export { generateSecretToken as generateSessionToken };

/** Stores a new session for the user; only the SHA-256 of the token is kept. */
export async function createSession(
	db: Database,
	token: string,
	userId: string,
	client: { ip?: string | null; userAgent?: string | null; secondFactorVerified?: boolean } = {}
): Promise<Session> {
	const now = new Date();
	const row = {
		id: hashToken(token),
		userId,
		expiresAt: new Date(now.getTime() + SESSION_LIFETIME_MS),
		createdAt: now,
		ip: client.ip ?? null,
		userAgent: client.userAgent?.slice(0, 300) ?? null,
		secondFactorAt: client.secondFactorVerified ? now : null,
		confirmedAt: now,
		lastActiveAt: now
	};
	await db.insert(session).values(row);
	return row;
}

/**
 * Looks up the session for a cookie token. Expired sessions, staff sessions idle for too long and sessions of
 * disabled accounts are deleted and count as signed out; a session in the second half of its life is extended.
 * The answer carries what decides whether the session has completed its second factor.
 */
export async function validateSessionToken(db: Database, token: string, limits: SessionLimits): Promise<SessionValidation> {
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
			},
			secondFactorResetAt: user.secondFactorResetAt,
			factorCount: sql<number>`(select count(*) from ${totpCredential} where ${totpCredential.userId} = ${user.id} and ${totpCredential.confirmedAt} is not null)::int + (select count(*) from ${passkeyCredential} where ${passkeyCredential.userId} = ${user.id})::int`
		})
		.from(session)
		.innerJoin(user, eq(session.userId, user.id))
		.where(eq(session.id, sessionId));
	if (!row) return { session: null, user: null, refusal: 'unknown' };

	const { disabledAt, ...sessionUser } = row.user;
	const now = Date.now();
	const refusal: SessionRefusal | null =
		disabledAt !== null
			? 'disabled'
			: now >= row.session.expiresAt.getTime()
				? 'expired'
				: isIdleTooLong(sessionUser.role, row.session.lastActiveAt, limits, now)
					? 'idle'
					: null;
	if (refusal) {
		await db.delete(session).where(eq(session.id, sessionId));
		if (refusal === 'idle') await recordIdleEnd(db, sessionId, sessionUser, limits);
		return { session: null, user: null, refusal };
	}
	if (now >= row.session.expiresAt.getTime() - SESSION_RENEW_WITHIN_MS) {
		row.session.expiresAt = new Date(now + SESSION_LIFETIME_MS);
		await db.update(session).set({ expiresAt: row.session.expiresAt }).where(eq(session.id, sessionId));
	}
	return { session: row.session, user: sessionUser, factorCount: Number(row.factorCount), secondFactorResetAt: row.secondFactorResetAt };
}

/** Notes that the person did something in this session (written at most once a minute). */
export async function recordSessionActivity(db: Database, current: Session): Promise<void> {
	const now = Date.now();
	if (now - current.lastActiveAt.getTime() < ACTIVITY_RESOLUTION_MS) return;
	current.lastActiveAt = new Date(now);
	await db.update(session).set({ lastActiveAt: current.lastActiveAt }).where(eq(session.id, current.id));
}

/** The session has just proved a second factor (sign-in, or asked again): it reaches everything, and counts as confirmed now. */
export async function markSecondFactorVerified(db: Database, sessionId: string): Promise<void> {
	const now = new Date();
	await db.update(session).set({ secondFactorAt: now, confirmedAt: now, lastActiveAt: now }).where(eq(session.id, sessionId));
}

/** The person has just confirmed who they are again (their password, when they have no second factor). */
export async function markSessionConfirmed(db: Database, sessionId: string): Promise<void> {
	const now = new Date();
	await db.update(session).set({ confirmedAt: now, lastActiveAt: now }).where(eq(session.id, sessionId));
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
