import type { Server } from 'node:http';
import { registerLivePlans } from '../../src/lib/shared/live-plans.ts';
import { createCollabServer, type CollabServer, type CollabServerOptions } from './collab-server.ts';

/** The path prefix of collaboration sockets: /collab/<planId>. */
export const COLLAB_PATH_PREFIX = '/collab/';

/**
 * Routes the HTTP server's WebSocket upgrades under /collab/ to a new collaboration server.
 * `exclusive`: other upgrade requests are refused (production); otherwise they are left for others (Vite's HMR).
 * Pages of the same process reach it through `getLivePlans()` until it closes.
 */
export function attachCollabServer(server: Server, options: CollabServerOptions, { exclusive }: { exclusive: boolean }): CollabServer {
	const collab = createCollabServer(options);
	server.on('upgrade', (request, socket, head) => {
		if (request.url?.startsWith(COLLAB_PATH_PREFIX)) collab.handleUpgrade(request, socket, head);
		else if (exclusive) socket.destroy();
	});
	registerLivePlans(collab);
	const close = collab.close;
	collab.close = async () => {
		registerLivePlans(undefined);
		await close();
	};
	return collab;
}
