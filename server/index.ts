import { logError } from '../db/errors.ts';
import { closeOnSignals, startAppServer, stopBecauseDatabaseLost, type RunningServer } from './app-server.ts';
import { publicBaseUrl, readConfig } from './config.ts';
import { firstAdminLinkIfEmpty } from './first-admin.ts';
import { openConfiguredDatabase, operatorMessage } from './startup.ts';

/** `npm start`: serves the built app on the configured database, without demo data. */
async function main(): Promise<void> {
	const config = readConfig(process.env);
	// The server stops itself when its database is lost for good (it is not running yet while the database opens).
	const started: { server?: RunningServer } = {};
	const database = await openConfiguredDatabase(config, 'the Chorus server', { onDatabaseLost: (reason) => stopBecauseDatabaseLost(reason, started.server) });
	const running = (started.server = await startAppServer(config, database));
	closeOnSignals(running);
	const base = publicBaseUrl(config, running.port);
	console.log(`[chorus] database: ${database.kind} (${database.location})`);
	console.log(`[chorus] Chorus is running at ${base}`);
	const firstAdminPath = await firstAdminLinkIfEmpty(database.db);
	if (firstAdminPath) {
		console.log('[chorus] No accounts exist yet. Create the first administrator with this one-time link (valid 24 hours):');
		console.log(`[chorus]   ${base}${firstAdminPath}`);
	}
}

main().catch((error: unknown) => {
	const message = operatorMessage(error);
	if (message) console.error(`[chorus] ${message}`);
	else logError('could not start', error);
	process.exit(1);
});
