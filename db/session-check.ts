import { inArray } from 'drizzle-orm';
import { session, user } from './schema/index.ts';
import { isIdleTooLong, type SessionLimits } from './session.ts';
import type { Database } from './types.ts';

/** Why a session is no longer valid: signed out (it is gone), run out (its lifetime), idle too long, or its account disabled. */
export type SessionEnd = 'signed_out' | 'expired' | 'idle' | 'disabled';

/**
 * Which of these sessions (each with its person) have ended, and why; sessions still valid are not in the answer.
 * Used to close long-lived sockets whose session ended in another process, telling the person why. A disabled
 * account counts as disabled even when its sessions are gone (disabling removes them).
 */
export async function endedSessions(
	db: Database,
	sessions: readonly { sessionId: string; userId: string }[],
	limits: SessionLimits
): Promise<Map<string, SessionEnd>> {
	const ended = new Map<string, SessionEnd>();
	if (sessions.length === 0) return ended;
	const [sessionRows, userRows] = await Promise.all([
		db
			.select({ id: session.id, expiresAt: session.expiresAt, lastActiveAt: session.lastActiveAt })
			.from(session)
			.where(
				inArray(
					session.id,
					sessions.map((entry) => entry.sessionId)
				)
			),
		db
			.select({ id: user.id, disabledAt: user.disabledAt, role: user.role })
			.from(user)
			.where(
				inArray(
					user.id,
					sessions.map((entry) => entry.userId)
				)
			)
	]);
	const sessionsById = new Map(sessionRows.map((row) => [row.id, row]));
	const usersById = new Map(userRows.map((row) => [row.id, row]));
	const now = Date.now();
	for (const { sessionId, userId } of sessions) {
		const row = sessionsById.get(sessionId);
		const person = usersById.get(userId);
		if (person?.disabledAt) ended.set(sessionId, 'disabled');
		else if (!row || !person) ended.set(sessionId, 'signed_out');
		else if (row.expiresAt.getTime() <= now) ended.set(sessionId, 'expired');
		else if (isIdleTooLong(person.role, row.lastActiveAt, limits, now)) ended.set(sessionId, 'idle');
	}
	return ended;
}
