import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type OpenDatabase } from '../../db/client.ts';
import { createEmptyPostgresDatabase } from './database.ts';
import { ROOT } from './processes.ts';

/** Where the output of every test server goes (checked for plan content at the end of the suite). */
export const SERVER_LOGS = join(ROOT, '.test-output', 'server-logs');

/** The real built server with demo data, in a child process on a free port. */
export interface TestServer {
	url: string;
	origin: string;
	/** Everything the server printed (for failure messages). */
	output(): string;
	/** Kills the process with SIGKILL: nothing gets a chance to flush. */
	kill(): Promise<void>;
	/** Stops it gracefully (SIGTERM). */
	stop(): Promise<void>;
	/** Starts the server again on the same data (after kill or stop). */
	restart(): Promise<void>;
	/** The server's PostgreSQL database, when it runs on one (for other processes, such as the CLI). */
	databaseUrl: string | undefined;
	/** The server process id (for memory figures). */
	pid(): number | undefined;
	/** Opens the server's database from the test (for PGlite, only while the server is stopped). */
	openStorage(): Promise<OpenDatabase>;
	/** Stops it and removes its data. */
	dispose(): Promise<void>;
}

/** Where a test server keeps its data: a temporary PGlite folder, or a new PostgreSQL database. */
async function makeStorage(): Promise<{ env: NodeJS.ProcessEnv; remove(): Promise<void> }> {
	if (process.env.TEST_DATABASE_URL) {
		const database = await createEmptyPostgresDatabase(process.env.TEST_DATABASE_URL);
		return { env: { DATABASE_URL: database.url, DATA_DIR: '' }, remove: database.drop };
	}
	const dataDir = mkdtempSync(join(tmpdir(), 'chorus-server-'));
	return { env: { DATA_DIR: dataDir, DATABASE_URL: '' }, remove: async () => rmSync(dataDir, { recursive: true, force: true }) };
}

/**
 * Starts `server/demo.ts` (needs `npm run build` first) and resolves once it listens. `seed` runs on the
 * server's database before the server starts (the embedded database allows one process at a time).
 */
export async function startTestServer(extraEnv: NodeJS.ProcessEnv = {}, seed?: (db: OpenDatabase['db']) => Promise<void>): Promise<TestServer> {
	const storage = await makeStorage();
	if (seed) {
		const database = await openDatabase({ databaseUrl: storage.env.DATABASE_URL || undefined, dataDir: storage.env.DATA_DIR ?? '', holder: 'test seeding' });
		try {
			await seed(database.db);
		} finally {
			await database.close();
		}
	}
	let child = null as ChildProcess | null;
	let log = '';
	let port = 0;
	// Everything every test server prints is kept for the suite's last check: no plan content in any log line.
	mkdirSync(SERVER_LOGS, { recursive: true });
	const logFile = join(SERVER_LOGS, `server-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}.log`);
	const keep = (chunk: Buffer) => {
		log += chunk.toString();
		appendFileSync(logFile, chunk);
	};

	const launch = () =>
		new Promise<void>((resolve, reject) => {
			const env: NodeJS.ProcessEnv = { ...process.env, ...storage.env, HOST: '127.0.0.1', PORT: String(port), ...extraEnv };
			if (!extraEnv.ORIGIN) delete env.ORIGIN;
			// CHORUS_SERVER_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/profile", profiles the server under test.
			const nodeArgs = process.env.CHORUS_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
			const spawned = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'server/demo.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
			child = spawned;
			const timer = setTimeout(() => reject(new Error(`The test server did not start within 60 s:\n${log}`)), 60_000);
			const onData = (chunk: Buffer) => {
				keep(chunk);
				const match = /Chorus is running at http:\/\/[^:]+:(\d+)/.exec(log.slice(-2000));
				if (match) {
					port = Number(match[1]);
					clearTimeout(timer);
					resolve();
				}
			};
			spawned.stdout!.on('data', onData);
			spawned.stderr!.on('data', keep);
			spawned.once('exit', (code, signal) => {
				clearTimeout(timer);
				reject(new Error(`The test server exited (${code ?? signal}) before it was ready:\n${log}`));
			});
		});

	const waitForExit = (signal: NodeJS.Signals) =>
		new Promise<void>((resolve) => {
			const running = child;
			if (!running || running.exitCode !== null || running.signalCode !== null) return resolve();
			running.once('exit', () => resolve());
			running.kill(signal);
		});

	await launch();
	return {
		get url() {
			return `http://127.0.0.1:${port}`;
		},
		get origin() {
			return `http://127.0.0.1:${port}`;
		},
		output: () => log,
		kill: () => waitForExit('SIGKILL'),
		stop: () => waitForExit('SIGTERM'),
		restart: launch,
		databaseUrl: storage.env.DATABASE_URL || undefined,
		pid: () => child?.pid,
		openStorage: () =>
			openDatabase({ databaseUrl: storage.env.DATABASE_URL || undefined, dataDir: storage.env.DATA_DIR ?? '', holder: 'a test' }),
		dispose: async () => {
			await waitForExit('SIGTERM');
			await storage.remove();
		}
	};
}
