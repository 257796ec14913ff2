import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { OpenDatabase } from '../db/client.ts';
import { registerDatabase } from '../db/registry.ts';
import { logError } from '../db/errors.ts';
import type { ServerConfig } from './config.ts';
import type { CollabServer } from './collab/collab-server.ts';
import { applyBaselineHeaders } from './http-headers.ts';
import { checkEncryptionKey } from './startup.ts';
import { attachLivePlans } from './live-plans.ts';
import { readWorkThreads, startWorkPool } from './work/pool.ts';

type RequestHandler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, next?: () => void) => void;

const PROTOCOL_HEADER = 'x-chorus-protocol';

export const BUILD_HANDLER = fileURLToPath(new URL('../build/handler.js', import.meta.url));

export interface RunningServer {
	server: Server;
	collab: CollabServer;
	port: number;
	/** Stops accepting connections, finishes what is in flight, then closes the database. */
	close(): Promise<void>;
}

/**
 * Serves the built SvelteKit app (adapter-node handler) on an open database.
 * Throws when the app has not been built.
 */
export async function startAppServer(config: ServerConfig, database: OpenDatabase): Promise<RunningServer> {
	if (!existsSync(BUILD_HANDLER)) {
		throw new Error('The app has not been built yet. Run "npm run build" first (or "npm run demo", which builds it for you).');
	}
	const workThreads = readWorkThreads(process.env);
	await checkEncryptionKey(config, database.db);
	registerDatabase(database.db);
	// Without ORIGIN (or the operator's own PROTOCOL_HEADER), adapter-node assumes https. Tell it the truth
	// through a header only this wrapper sets, so Secure cookies and HSTS follow the real protocol.
	if (!config.origin) delete process.env.ORIGIN; // adapter-node refuses an empty ORIGIN
	const markProtocol = !config.origin && !process.env.PROTOCOL_HEADER;
	if (markProtocol) process.env.PROTOCOL_HEADER = PROTOCOL_HEADER;
	const { handler } = (await import(pathToFileURL(BUILD_HANDLER).href)) as { handler: RequestHandler };
	const servedOverHttps = config.origin?.startsWith('https://') ?? false;

	const server = createServer((req, res) => {
		const encrypted = 'encrypted' in req.socket && req.socket.encrypted === true;
		if (markProtocol) req.headers[PROTOCOL_HEADER] = encrypted ? 'https' : 'http';
		applyBaselineHeaders(res, servedOverHttps || encrypted);
		handler(req, res, () => {
			res.statusCode = 404;
			res.end('Not found');
		});
	});
	server.headersTimeout = 20_000;
	server.requestTimeout = 60_000;
	const work = startWorkPool(workThreads);
	const live = attachLivePlans(server, database, config, { exclusive: true });

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(config.port, config.host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : config.port;

	let closing: Promise<void> | undefined;
	const close = (): Promise<void> => {
		closing ??= (async () => {
			// Sockets first: every room commits and checkpoints before the database closes.
			await live.close();
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeIdleConnections();
				setTimeout(() => server.closeAllConnections(), 5_000).unref();
			});
			// Then the worker threads (checkpoints and pages in flight have had their work done), then the database.
			await work.close();
			registerDatabase(undefined);
			await database.close();
		})();
		return closing;
	};
	return { server, collab: live.collab, port, close };
}

/**
 * The embedded database stopped for good: nothing more can be saved. Sockets close (editors keep their unsaved
 * words in the browser), and the process ends with an error so a supervisor (systemd, a container) restarts it.
 */
export function stopBecauseDatabaseLost(reason: string, running: RunningServer | undefined): void {
	console.error(`[chorus] Stopping: ${reason}. Nothing more can be saved until Chorus starts again.`);
	const end = () => process.exit(1);
	if (!running) return end();
	running.close().then(end, (error: unknown) => {
		logError('error while stopping', error);
		end();
	});
}

/** Closes the server cleanly on SIGINT/SIGTERM, then exits. */
export function closeOnSignals(running: RunningServer): void {
	const stop = (signal: string) => {
		console.log(`[chorus] ${signal} received: saving everything and stopping…`);
		running.close().then(
			() => process.exit(0),
			(error: unknown) => {
				logError('error while stopping', error);
				process.exit(1);
			}
		);
	};
	process.once('SIGINT', () => stop('SIGINT'));
	process.once('SIGTERM', () => stop('SIGTERM'));
}
