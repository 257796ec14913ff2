import { AppRoleError, openDatabase } from '../db/client.ts';
import { DataDirLockedError } from '../db/data-dir-lock.ts';
import { logError } from '../db/errors.ts';
import { closeOnSignals, startAppServer } from './app-server.ts';
import { ConfigError, publicBaseUrl, readConfig } from './config.ts';
import { firstAdminLinkIfEmpty } from './first-admin.ts';

/** `npm start`: serves the built app on the configured database, without demo data. */
async function main(): Promise<void> {
	const config = readConfig(process.env);
	const database = await openDatabase({ databaseUrl: config.databaseUrl, ownerUrl: config.databaseOwnerUrl, dataDir: config.dataDir, holder: 'the Chorus server' });
	const running = await startAppServer(config, database);
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
	if (error instanceof ConfigError || error instanceof DataDirLockedError || error instanceof AppRoleError) console.error(`[chorus] ${error.message}`);
	else logError('could not start', error);
	process.exit(1);
});
