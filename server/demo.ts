import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { logError } from '../db/errors.ts';
import { BUILD_HANDLER, closeOnSignals, startAppServer, stopBecauseDatabaseLost, type RunningServer } from './app-server.ts';
import { publicBaseUrl, readConfig } from './config.ts';
import { DEMO_PASSWORD, DEMO_PEOPLE, seedDemo } from './demo-seed.ts';
import { openConfiguredDatabase, operatorMessage } from './startup.ts';

/** `npm run demo`: builds if needed, seeds the demo team into ./demo-data (or DATA_DIR), and serves the app. */
async function main(): Promise<void> {
	const config = readConfig(process.env, { dataDir: './demo-data' });
	if (!existsSync(BUILD_HANDLER)) {
		console.log('[chorus] Building the app first (this takes a minute the first time)…');
		const root = fileURLToPath(new URL('..', import.meta.url));
		const build = spawnSync('npx', ['vite', 'build'], { cwd: root, stdio: 'inherit' });
		if (build.status !== 0) throw new Error('The build failed; see the messages above.');
	}
	// The server stops itself when its database is lost for good (it is not running yet while the database opens).
	const started: { server?: RunningServer } = {};
	const database = await openConfiguredDatabase(config, 'the Chorus demo server', {
		onDatabaseLost: (reason) => stopBecauseDatabaseLost(reason, started.server)
	});
	const seeded = await seedDemo(database.db);
	const running = (started.server = await startAppServer(config, database));
	closeOnSignals(running);
	const base = publicBaseUrl(config, running.port);
	console.log(`[chorus] database: ${database.kind} (${database.location})${seeded ? ', demo data added' : ''}`);
	console.log('[chorus] Demo accounts (password for all of them: ' + DEMO_PASSWORD + '):');
	for (const person of DEMO_PEOPLE) console.log(`[chorus]   ${person.username.padEnd(8)} ${person.displayName}, ${person.about}`);
	console.log(`[chorus] Chorus is running at ${base}`);
}

main().catch((error: unknown) => {
	const message = operatorMessage(error);
	if (message) console.error(`[chorus] ${message}`);
	else logError('could not start the demo', error);
	process.exit(1);
});
