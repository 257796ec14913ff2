import type { Server } from 'node:http';
import type { OpenDatabase } from '../db/client.ts';
import { registerLivePlans, type LivePlans } from '../src/lib/shared/live-plans.ts';
import { createCollabServer, type CollabServer } from './collab/collab-server.ts';
import type { ServerConfig, SignInRules } from './config.ts';
import { PostgresPlanStore } from './collab/postgres-plan-store.ts';
import { InvolvementTracker } from './involvement/tracker.ts';

/** The path prefix of collaboration sockets: /collab/<planId>. */
export const COLLAB_PATH_PREFIX = '/collab/';

/** The live side of a process: the collaboration server, and the involvement measures its changes keep current. */
export interface LivePlansServer extends LivePlans {
	collab: CollabServer;
	involvement: InvolvementTracker;
	/** Closes every socket, commits and checkpoints every room, then finishes involvement runs under way. */
	close(): Promise<void>;
}

/**
 * Starts the collaboration server and the involvement tracker on an open database, without routing any socket to it
 * (attachLivePlans does that): what pages and commands need from the live side, for one process.
 */
export function startLivePlans(database: OpenDatabase, origin: string | undefined, signIn?: SignInRules): LivePlansServer {
	const involvement = new InvolvementTracker(database.db);
	involvement.sweep();
	const collab = createCollabServer({
		db: database.db,
		store: new PostgresPlanStore(database.db, database.commitClient),
		origin,
		signIn,
		onCommitted: (planId) => involvement.markChanged(planId)
	});
	return {
		collab,
		involvement,
		changePlan: (planId, madeBy, build, restoredFrom) => collab.changePlan(planId, madeBy, build, restoredFrom),
		committedSeq: (planId) => collab.committedSeq(planId),
		async appointmentChanged(planId) {
			await collab.appointmentChanged(planId);
			involvement.markChanged(planId);
		},
		announce: (planId, notice) => collab.announce(planId, notice),
		involvementChanged: (planId) => involvement.markChanged(planId),
		refreshInvolvement: (planIds) => involvement.refreshStale(planIds),
		async close() {
			await collab.close();
			await involvement.close();
		}
	};
}

/**
 * Starts the live side (startLivePlans), routes the HTTP server's WebSocket upgrades under /collab/ to it, and makes
 * it reachable to pages of the same process through `getLivePlans()` until it closes. `exclusive`: other upgrade
 * requests are refused (production); otherwise they are left for others (Vite's HMR).
 */
export function attachLivePlans(
	server: Server,
	database: OpenDatabase,
	config: Pick<ServerConfig, 'origin' | 'signIn'>,
	{ exclusive }: { exclusive: boolean }
): LivePlansServer {
	const live = startLivePlans(database, config.origin, config.signIn);
	server.on('upgrade', (request, socket, head) => {
		if (request.url?.startsWith(COLLAB_PATH_PREFIX)) live.collab.handleUpgrade(request, socket, head);
		else if (exclusive) socket.destroy();
	});
	registerLivePlans(live);
	return {
		...live,
		async close() {
			registerLivePlans(undefined);
			await live.close();
		}
	};
}
