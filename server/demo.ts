import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { logError } from '../db/errors.ts';
import { BUILD_HANDLER, closeOnSignals, startAppServer, stopBecauseDatabaseLost, type RunningServer } from './app-server.ts';
import { readEncryptionKey } from '../db/secret-box.ts';
import { ConfigError, publicBaseUrl, readConfig, type ServerConfig } from './config.ts';
import { DEMO_PASSWORD, DEMO_PEOPLE, seedDemo } from './demo-seed.ts';
import { openConfiguredDatabase, operatorMessage } from './startup.ts';

/**
 * The demo keeps its own ENCRYPTION_KEY beside its data when none is set (made on first start), so authenticator
 * apps set up in the demo keep working after a restart. A real installation sets ENCRYPTION_KEY itself, kept apart
 * from the database and its backups.
 */
function withDemoEncryptionKey(config: ServerConfig): ServerConfig {
	if (config.encryptionKey) return config;
	const keyFile = join(config.databaseUrl ? './demo-data' : config.dataDir, 'demo-encryption.key');
	if (!existsSync(keyFile)) {
		mkdirSync(dirname(keyFile), { recursive: true });
		writeFileSync(keyFile, randomBytes(32).toString('base64') + '\n', { mode: 0o600 });
	}
	const text = readFileSync(keyFile, 'utf8').trim();
	const encryptionKey = readEncryptionKey(text);
	if (!encryptionKey) throw new ConfigError(`${keyFile} does not hold a key: remove it, and the demo makes a new one.`);
	process.env.ENCRYPTION_KEY = text;
	return { ...config, encryptionKey };
}

/** `npm run demo`: builds if needed, seeds the demo team into ./demo-data (or DATA_DIR), and serves the app. */
async function main(): Promise<void> {
	const config = withDemoEncryptionKey(readConfig(process.env, { dataDir: './demo-data' }));
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
	if (config.signIn.secondFactorPolicy !== 'none') {
		console.log(
			'[chorus] Staff accounts set up an authenticator app or a passkey at their first sign-in (REQUIRE_MFA_FOR=' + config.signIn.secondFactorPolicy + ').'
		);
		console.log('[chorus] To look around without one, start the demo with REQUIRE_MFA_FOR=none.');
	}
	console.log(`[chorus] Chorus is running at ${base}`);
}

main().catch((error: unknown) => {
	const message = operatorMessage(error);
	if (message) console.error(`[chorus] ${message}`);
	else logError('could not start the demo', error);
	process.exit(1);
});
