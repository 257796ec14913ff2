import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type OpenDatabase } from '../../db/client.ts';
import { runningPostmaster, stopProcess } from '../../db/embedded/postgres-server.ts';
import { createEmptyPostgresDatabase } from './database.ts';
import { TEST_SIGN_IN_ENV } from './e2e-server-env.ts';
import { ROOT } from './processes.ts';

/** Where the output of every test server goes (checked for plan content at the end of the suite). */
export const SERVER_LOGS = join(ROOT, '.test-output', 'server-logs');

/** The real built server with demo data, in a child process on a free port. */
export interface TestServer {
	url: string;
	origin: string;
	/** Everything the server printed (for failure messages). */
	output(): string;
	/**
	 * Resolves with the first line the server printed since it last started that matches `pattern`, once it has
	 * printed it (for things the server says when they are done, such as its start-up involvement measurement).
	 */
	waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
	/** Kills the process with SIGKILL: nothing gets a chance to flush. */
	kill(): Promise<void>;
	/** Stops it gracefully (SIGTERM). */
	stop(): Promise<void>;
	/** Starts the server again on the same data (after kill or stop). */
	restart(): Promise<void>;
	/** The server's database on the test PostgreSQL (for other processes, such as the CLI); undefined for an embedded server. */
	databaseUrl: string | undefined;
	/** DATA_DIR of a server that runs its own embedded PostgreSQL. */
	dataDir: string | undefined;
	/** The server process id (for memory figures). */
	pid(): number | undefined;
	/** Opens the server's database from the test (an embedded server's own PostgreSQL: joined while it runs). */
	openStorage(): Promise<OpenDatabase>;
	/** Stops it and removes its data. */
	dispose(): Promise<void>;
}

export interface TestServerOptions {
	/**
	 * `database` (default): a new database on the test run's PostgreSQL (fast; where there is none, as in the
	 * browser tests' first pass, `embedded`). `embedded`: the server runs its own PostgreSQL in a new DATA_DIR,
	 * exactly as `npm start` does without DATABASE_URL (a first start takes seconds).
	 */
	storage?: 'database' | 'embedded';
}

/** Where a test server keeps its data: a new database on the test PostgreSQL, or a DATA_DIR of its own. */
async function makeStorage(kind: TestServerOptions['storage']): Promise<{ env: NodeJS.ProcessEnv; remove(): Promise<void> }> {
	// Outside vitest (the browser tests) there is no test PostgreSQL unless TEST_DATABASE_URL names one.
	const testServer = process.env.TEST_DATABASE_URL || process.env.CHORUS_EMBEDDED_TEST_URL;
	if (kind !== 'embedded' && testServer) {
		const database = await createEmptyPostgresDatabase();
		return { env: { DATABASE_URL: database.url, DATA_DIR: '' }, remove: database.drop };
	}
	const dataDir = mkdtempSync(join(tmpdir(), 'chorus-server-'));
	return {
		env: { DATA_DIR: dataDir, DATABASE_URL: '' },
		remove: async () => {
			// A server killed with SIGKILL leaves its PostgreSQL running: stop it before its files go.
			const orphan = runningPostmaster(dataDir);
			if (orphan !== undefined) await stopProcess(orphan);
			rmSync(dataDir, { recursive: true, force: true });
		}
	};
}

/**
 * Starts `server/demo.ts` (needs `npm run build` first) and resolves once it listens. `seed` runs on the
 * server's database before the server starts (the embedded database allows one process at a time).
 */
export async function startTestServer(
	extraEnv: NodeJS.ProcessEnv = {},
	seed?: (db: OpenDatabase['db']) => Promise<void>,
	options: TestServerOptions = {}
): Promise<TestServer> {
	const storage = await makeStorage(options.storage);
	const open = (holder: string) =>
		openDatabase({ databaseUrl: storage.env.DATABASE_URL || undefined, dataDir: storage.env.DATA_DIR ?? '', holder, joinRunningServer: true });
	if (seed) {
		const database = await open('test seeding');
		try {
			await seed(database.db);
		} finally {
			await database.close();
		}
	}
	let child = null as ChildProcess | null;
	let log = '';
	let port = 0;
	/** Where the output of the latest start begins. */
	let runStart = 0;
	/** Tests waiting for a line: checked whenever the server prints something. */
	const lineWaiters = new Set<() => void>();
	// Everything every test server prints is kept for the suite's last check: no plan content in any log line.
	mkdirSync(SERVER_LOGS, { recursive: true });
	const logFile = join(SERVER_LOGS, `server-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}.log`);
	const keep = (chunk: Buffer) => {
		log += chunk.toString();
		appendFileSync(logFile, chunk);
		for (const check of lineWaiters) check();
	};
	const waitForLine = (pattern: RegExp, timeoutMs = 60_000) =>
		new Promise<string>((resolve, reject) => {
			const check = () => {
				const line = log
					.slice(runStart)
					.split('\n')
					.find((candidate) => pattern.test(candidate));
				if (line === undefined) return;
				lineWaiters.delete(check);
				clearTimeout(timer);
				resolve(line);
			};
			const timer = setTimeout(() => {
				lineWaiters.delete(check);
				reject(new Error(`The test server did not print ${pattern} within ${timeoutMs} ms:\n${log.slice(runStart)}`));
			}, timeoutMs);
			lineWaiters.add(check);
			check();
		});

	const launch = () =>
		new Promise<void>((resolve, reject) => {
			// Only this start's output counts: an earlier "running at" line must not end the wait.
			const startOfThisRun = log.length;
			runStart = startOfThisRun;
			const env: NodeJS.ProcessEnv = { ...process.env, ...storage.env, ...TEST_SIGN_IN_ENV, HOST: '127.0.0.1', PORT: String(port), ...extraEnv };
			if (!extraEnv.ORIGIN) delete env.ORIGIN;
			// CHORUS_SERVER_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/profile", profiles the server under test.
			const nodeArgs = process.env.CHORUS_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
			const spawned = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'server/demo.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
			child = spawned;
			const timer = setTimeout(() => reject(new Error(`The test server did not start within 60 s:\n${log}`)), 60_000);
			const onData = (chunk: Buffer) => {
				keep(chunk);
				const match = /Chorus is running at http:\/\/[^:]+:(\d+)/.exec(log.slice(Math.max(startOfThisRun, log.length - 2000)));
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
		waitForLine,
		kill: () => waitForExit('SIGKILL'),
		stop: () => waitForExit('SIGTERM'),
		restart: launch,
		databaseUrl: storage.env.DATABASE_URL || undefined,
		dataDir: storage.env.DATA_DIR || undefined,
		pid: () => child?.pid,
		openStorage: () => open('a test'),
		dispose: async () => {
			await waitForExit('SIGTERM');
			await storage.remove();
		}
	};
}
