import { onAccessChange, type AccessChange } from '../../db/access-events.ts';
import { logError } from '../../db/errors.ts';
import { getPlanAccess, getPlanAccessMany } from '../../db/plans.ts';
import { endedSessions, type SessionEnd } from '../../db/session-check.ts';
import { recordIdleEnd, type SessionLimits } from '../../db/session.ts';
import type { Database } from '../../db/types.ts';
import { CLOSE_CODES } from '../../src/lib/shared/collab-protocol.ts';
import type { CollabConnection } from './connection.ts';

/** The periodic access sweep re-checks a fifth of the open sockets at a time. */
const SLICES = 5;

/** How a socket whose session ended is closed, so that the page can tell the person why. */
const SESSION_END_CLOSE: Record<SessionEnd, [number, string]> = {
	signed_out: [CLOSE_CODES.sessionEnded, 'Signed out'],
	expired: [CLOSE_CODES.sessionExpired, 'Session expired'],
	idle: [CLOSE_CODES.sessionExpired, 'Session expired'],
	disabled: [CLOSE_CODES.accountDisabled, 'Account disabled']
};

/**
 * Ends access at once: sockets close when their session ends or their person loses access to the plan. Changes made
 * in this process arrive as events; those made elsewhere (the CLI on PostgreSQL) or by expiry are caught by a sweep
 * that re-checks every open socket once per `sweepMs`.
 * @param live every open socket of the process (read at each event and sweep)
 * @returns stops watching
 */
export function watchAccess(db: Database, live: ReadonlySet<CollabConnection>, sweepMs: number, limits: SessionLimits): () => void {
	function applyAccessChange(change: AccessChange): void {
		for (const connection of live) {
			const { identity } = connection;
			if (change.kind === 'session_ended' && identity.sessionId === change.sessionId) {
				connection.close(CLOSE_CODES.sessionEnded, 'Signed out');
			} else if (change.kind === 'user_signed_out' && identity.user.id === change.userId) {
				connection.close(CLOSE_CODES.sessionEnded, 'Signed out');
			} else if (change.kind === 'account_disabled' && identity.user.id === change.userId) {
				connection.close(CLOSE_CODES.accountDisabled, 'Account disabled');
			} else if (change.kind === 'plan_access_changed' && identity.user.id === change.userId && identity.planId === change.planId) {
				recheckAccess(connection).catch((error: unknown) => {
					logError('could not re-check access after a care-team change; closing to be safe', error);
					connection.close(CLOSE_CODES.accessRevoked, 'Access changed');
				});
			}
		}
	}

	async function recheckAccess(connection: CollabConnection): Promise<void> {
		const { user, planId, access } = connection.identity;
		if ((await getPlanAccess(db, user, planId)) !== access) connection.close(CLOSE_CODES.accessRevoked, 'Access changed');
	}

	// The work is spread over the period in slices so that it never holds up commits (the embedded database runs one
	// query at a time).
	let slice = 0;
	let sweeping = false;
	let stopped = false;
	const sweep = setInterval(async () => {
		if (sweeping || stopped) return;
		sweeping = true;
		slice = (slice + 1) % SLICES;
		try {
			const connections = [...live].filter((connection) => connection.sweepSlice % SLICES === slice);
			if (connections.length === 0) return;
			const ended = await endedSessions(
				db,
				connections.map(({ identity }) => ({ sessionId: identity.sessionId, userId: identity.user.id })),
				limits
			);
			const access = await getPlanAccessMany(
				db,
				connections.map(({ identity }) => ({ person: identity.user, planId: identity.planId }))
			);
			for (const connection of connections) {
				const { identity } = connection;
				const end = ended.get(identity.sessionId);
				if (end) connection.close(...SESSION_END_CLOSE[end]);
				// The audit trail says when, also for someone who never comes back. The session itself is removed at the
				// person's next request, which then tells them on the sign-in page why they were signed out.
				if (end === 'idle') await recordIdleEnd(db, identity.sessionId, identity.user, limits);
				else if (access.get(`${identity.user.id}:${identity.planId}`) !== identity.access) {
					connection.close(CLOSE_CODES.accessRevoked, 'Access changed');
				}
			}
		} catch (error) {
			logError('access check of open plan connections failed', error);
		} finally {
			sweeping = false;
		}
	}, sweepMs / SLICES);
	sweep.unref();
	const stopListening = onAccessChange(applyAccessChange);
	return () => {
		stopped = true;
		clearInterval(sweep);
		stopListening();
	};
}
