import { and, eq, gt, inArray, isNull } from 'drizzle-orm';
import { session, user } from './schema/index.ts';
import type { Database } from './types.ts';

/**
 * Which of these sessions are still valid now (not signed out, not expired, account not disabled).
 * Used to close long-lived sockets whose session ended in another process.
 */
export async function stillValidSessions(db: Database, sessionIds: string[]): Promise<Set<string>> {
	if (sessionIds.length === 0) return new Set();
	const rows = await db
		.select({ id: session.id })
		.from(session)
		.innerJoin(user, eq(session.userId, user.id))
		.where(and(inArray(session.id, sessionIds), gt(session.expiresAt, new Date()), isNull(user.disabledAt)));
	return new Set(rows.map((row) => row.id));
}
