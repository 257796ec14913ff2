import type { Plugin } from 'vite';
import type { OpenDatabase } from '../db/client.ts';
import { registerDatabase } from '../db/registry.ts';
import { readConfig } from './config.ts';
import { applyBaselineHeaders } from './http-headers.ts';
import { seedDemo } from './demo-seed.ts';
import { attachLivePlans } from './live-plans.ts';
import { checkEncryptionKey, openConfiguredDatabase } from './startup.ts';
import { readWorkThreads, startWorkPool } from './work/pool.ts';

/**
 * `vite dev`: opens the database (with demo data) inside Vite's server, as server/index.ts does in production.
 * Uses ./demo-data unless DATA_DIR or DATABASE_URL say otherwise.
 */
export function chorusDevServer(): Plugin {
	let database: OpenDatabase | undefined;
	return {
		name: 'chorus-dev-server',
		apply: 'serve',
		async configureServer(server) {
			if (process.env.VITEST) return;
			server.middlewares.use((_request, response, next) => {
				applyBaselineHeaders(response, false);
				next();
			});
			const config = readConfig(process.env, { dataDir: './demo-data' });
			const workThreads = readWorkThreads(process.env);
			database = await openConfiguredDatabase(config, 'the Vite dev server');
			await seedDemo(database.db);
			await checkEncryptionKey(config, database.db);
			registerDatabase(database.db);
			const httpServer = server.httpServer as import('node:http').Server | null;
			if (!httpServer) return;
			const work = startWorkPool(workThreads);
			const live = attachLivePlans(httpServer, database, config, { exclusive: false });
			httpServer.once('close', () => {
				// As server/app-server.ts: sockets and commits, then the worker threads, then the database.
				void live
					.close()
					.then(() => work.close())
					.finally(() => {
						registerDatabase(undefined);
						void database?.close();
					});
			});
		}
	};
}
