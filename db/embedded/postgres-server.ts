import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, type WriteStream } from 'node:fs';
import { join, resolve } from 'node:path';
import postgres from 'postgres';
import { findPostgresBinaries, type PostgresBinaries } from './binaries.ts';
import { EmbeddedPostgresError } from './errors.ts';
import { postgresAccount, type PostgresAccount } from './os-user.ts';

/** The superuser and database the embedded server is made with. */
export const EMBEDDED_USER = 'chorus';
export const EMBEDDED_DATABASE = 'chorus';
/** Names the socket file (.s.PGSQL.5432); no TCP port is opened. */
const SOCKET_PORT = 5432;
/** Written once the cluster and its database exist: a cluster without it is a first start that was cut short. */
const READY_MARKER = 'chorus-cluster-ready';

/** Connection options for postgres.js that reach the embedded server of `dataDir` through its Unix socket. */
export interface SocketTarget {
	host: string;
	port: number;
	user: string;
	database: string;
}

/** Where the embedded PostgreSQL cluster of a Chorus data directory lives. */
export function clusterDir(dataDir: string): string {
	return join(resolve(dataDir), 'postgres');
}

/** How to reach the embedded server of `dataDir` (it listens on a socket in its own cluster folder). */
export function socketTarget(dataDir: string, database = EMBEDDED_DATABASE): SocketTarget {
	return { host: clusterDir(dataDir), port: SOCKET_PORT, user: EMBEDDED_USER, database };
}

/** The pid of the postmaster serving `dataDir`, when one runs (read from its postmaster.pid). */
export function runningPostmaster(dataDir: string): number | undefined {
	const pid = postmasterPid(clusterDir(dataDir));
	return pid !== undefined && isPostgresOf(pid, clusterDir(dataDir)) ? pid : undefined;
}

export interface EmbeddedPostgresOptions {
	/** Chorus's DATA_DIR: the cluster goes into its `postgres` folder. */
	dataDir: string;
	/** The unprivileged account to run PostgreSQL as when Chorus runs as root (EMBEDDED_POSTGRES_USER). */
	account?: string;
	/** Progress an operator should see (first start, recovery). */
	say?: (line: string) => void;
}

/**
 * The PostgreSQL server that Chorus runs itself when no DATABASE_URL is set: real PostgreSQL from the
 * embedded-postgres project's platform package, its data in DATA_DIR/postgres, reachable only through a Unix
 * socket in that folder (mode 0700, no TCP), with fsync and synchronous commit on.
 */
export class EmbeddedPostgres {
	private child: ChildProcess | undefined;
	private stopping = false;
	private readonly exitListeners: ((description: string) => void)[] = [];
	private log: WriteStream | undefined;

	private constructor(
		readonly dataDir: string,
		private readonly binaries: PostgresBinaries,
		private readonly account: PostgresAccount | undefined,
		private readonly say: (line: string) => void
	) {}

	/** Creates the cluster on first start (initdb), recovers from an unclean stop, starts the server, and waits until it answers. */
	static async start(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
		const dataDir = resolve(options.dataDir);
		const say = options.say ?? (() => {});
		refuseOldPgliteData(dataDir);
		const binaries = findPostgresBinaries();
		const account = postgresAccount(options.account, say);
		const server = new EmbeddedPostgres(dataDir, binaries, account, say);
		await server.boot();
		return server;
	}

	/** The socket target of this server's Chorus database. */
	get target(): SocketTarget {
		return socketTarget(this.dataDir);
	}

	/** The postmaster's process id while it runs. */
	get pid(): number | undefined {
		const child = this.child;
		return child && child.exitCode === null && child.signalCode === null ? child.pid : undefined;
	}

	/** Called when the server stops without being asked to (crash, kill -9), with a plain description. */
	onUnexpectedExit(listener: (description: string) => void): void {
		this.exitListeners.push(listener);
	}

	/** Starts the server again after an unexpected stop (PostgreSQL replays its WAL: every committed change is kept). */
	async restart(): Promise<void> {
		if (this.pid !== undefined) return;
		await this.launch();
	}

	/** Stops the server: fast shutdown (open sessions end, a checkpoint is written), then waits for it to exit. */
	async stop(): Promise<void> {
		this.stopping = true;
		const child = this.child;
		if (child && child.exitCode === null && child.signalCode === null) {
			const exited = new Promise<void>((done) => child.once('exit', () => done()));
			child.kill('SIGINT');
			const late = setTimeout(() => child.kill('SIGQUIT'), 30_000);
			await exited;
			clearTimeout(late);
		}
		this.log?.end();
		this.log = undefined;
	}

	private async boot(): Promise<void> {
		const cluster = clusterDir(this.dataDir);
		mkdirSync(this.dataDir, { recursive: true, mode: 0o700 });
		if (this.account) {
			// The account must pass through DATA_DIR to reach its cluster folder, and nothing more.
			chmodSync(this.dataDir, 0o711);
			this.checkAccountReaches(cluster);
		}
		const firstStart = !existsSync(join(cluster, READY_MARKER));
		if (firstStart) {
			this.say(`First start: creating the database in ${cluster} (this takes a few seconds)…`);
			rmSync(cluster, { recursive: true, force: true }); // a first start that was cut short left nothing of value
			mkdirSync(cluster, { mode: 0o700 });
			if (this.account) chownSync(cluster, this.account.uid, this.account.gid);
			this.initdb(cluster);
		}
		await this.launch();
		if (firstStart) {
			const sql = postgres({ ...socketTarget(this.dataDir, 'postgres'), max: 1, onnotice: () => {} });
			try {
				const [existing] = await sql`SELECT 1 FROM pg_database WHERE datname = ${EMBEDDED_DATABASE}`;
				if (!existing) await sql.unsafe(`CREATE DATABASE ${EMBEDDED_DATABASE}`);
			} finally {
				await sql.end({ timeout: 5 });
			}
			writeFileSync(join(cluster, READY_MARKER), new Date().toISOString());
		}
	}

	private initdb(cluster: string): void {
		const made = spawnSync(
			this.binaries.initdb,
			['-D', cluster, '-U', EMBEDDED_USER, '-E', 'UTF8', '--no-locale', '--auth-local=trust', '--auth-host=reject', '--no-instructions'],
			{ encoding: 'utf8', env: cleanEnvironment(), ...this.runAs() }
		);
		if (made.status !== 0) {
			throw new EmbeddedPostgresError(`Creating the database in ${cluster} failed:\n${lastLines(made.stderr || made.stdout || String(made.error))}`);
		}
	}

	/** Starts the postmaster and resolves once it accepts connections; retries while an old one's memory is still held. */
	private async launch(): Promise<void> {
		const cluster = clusterDir(this.dataDir);
		await this.clearStalePostmaster(cluster);
		this.stopping = false;
		this.log ??= createWriteStream(join(this.dataDir, 'postgres.log'), { flags: 'a', mode: 0o600 });
		const deadline = Date.now() + 60_000;
		for (;;) {
			const { child, recentOutput } = this.spawnPostmaster(cluster);
			const outcome = await this.waitUntilReady(child, deadline);
			if (outcome === 'ready') {
				child.once('exit', (code, signal) => this.exited(child, code, signal));
				return;
			}
			// Backends of a killed server may hold its shared memory for a moment: only that is worth waiting for.
			const transient = /pre-existing shared memory block|lock file .* already exists/.test(recentOutput());
			if (!transient || Date.now() > deadline) {
				throw new EmbeddedPostgresError(`The database server in ${cluster} did not start: ${outcome}. Its log is in ${join(this.dataDir, 'postgres.log')}.`);
			}
			await new Promise((done) => setTimeout(done, 250));
		}
	}

	private spawnPostmaster(cluster: string): { child: ChildProcess; recentOutput(): string } {
		const settings = {
			listen_addresses: '',
			unix_socket_directories: cluster,
			unix_socket_permissions: '0700',
			fsync: 'on',
			synchronous_commit: 'on',
			full_page_writes: 'on',
			// Never write statements or key values (plan content) into the server's log.
			log_min_error_statement: 'panic',
			log_error_verbosity: 'terse',
			max_connections: '100'
		};
		const args = ['-D', cluster, '-p', String(SOCKET_PORT), ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`])];
		const child = spawn(this.binaries.postgres, args, { stdio: ['ignore', 'pipe', 'pipe'], env: cleanEnvironment(), ...this.runAs() });
		this.child = child;
		let recent = '';
		const forward = (chunk: Buffer) => {
			this.log?.write(chunk);
			recent = (recent + chunk.toString('utf8')).slice(-4000);
			for (const line of chunk.toString('utf8').split('\n')) {
				if (/\b(FATAL|PANIC):/.test(line) && !/the database system is (starting up|shutting down)/.test(line)) this.say(`PostgreSQL: ${line.trim()}`);
			}
		};
		child.stdout?.on('data', forward);
		child.stderr?.on('data', forward);
		return { child, recentOutput: () => recent };
	}

	private async waitUntilReady(child: ChildProcess, deadline: number): Promise<'ready' | string> {
		let exit: string | undefined;
		// 'close' comes after the last output, which says why it stopped.
		child.once('close', (code, signal) => (exit = signal ? `it stopped (${signal})` : `it stopped (exit code ${code})`));
		child.once('error', (error) => (exit = error.message));
		while (Date.now() < deadline) {
			if (exit) return exit;
			const sql = postgres({ ...this.target, database: 'postgres', max: 1, connect_timeout: 2, onnotice: () => {} });
			try {
				await sql`SELECT 1`;
				return exit ?? 'ready';
			} catch {
				await new Promise((done) => setTimeout(done, 100));
			} finally {
				await sql.end({ timeout: 1 });
			}
		}
		child.kill('SIGQUIT');
		return 'it did not answer within a minute';
	}

	private exited(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
		if (this.child !== child || this.stopping) return;
		const description = signal ? `it was stopped by ${signal}` : `it exited with code ${code}`;
		for (const listener of this.exitListeners) listener(description);
	}

	/**
	 * After an unclean stop (kill -9 of Chorus, of PostgreSQL, or of both) the cluster may still name a postmaster:
	 * an orphaned one still running is shut down (Chorus holds the data directory's lock, so nobody else uses it);
	 * a pid file naming a process that is gone, or that is not this cluster's PostgreSQL (a reused pid), is removed.
	 */
	private async clearStalePostmaster(cluster: string): Promise<void> {
		const pid = postmasterPid(cluster);
		if (pid === undefined) return;
		if (isPostgresOf(pid, cluster)) {
			this.say(`A database server left over from an earlier run (process ${pid}) still uses ${cluster}: stopping it first…`);
			await stopProcess(pid);
		} else {
			this.say('The database was not shut down cleanly last time: recovering (every saved change is kept)…');
		}
		rmSync(join(cluster, 'postmaster.pid'), { force: true });
	}

	private checkAccountReaches(cluster: string): void {
		const account = this.account!;
		const version = spawnSync(this.binaries.postgres, ['--version'], { encoding: 'utf8', env: cleanEnvironment(), ...this.runAs() });
		if (version.status !== 0) {
			throw new EmbeddedPostgresError(
				`Chorus runs as root, so its PostgreSQL runs as the account "${account.name}", which cannot run ${this.binaries.postgres}. ` +
					'Make the folders on that path readable by others (chmod o+rx), run Chorus as an ordinary user, or set DATABASE_URL.'
			);
		}
		const reach = spawnSync('sh', ['-c', 'cd "$1"', 'sh', this.dataDir], { ...this.runAs() });
		if (reach.status !== 0) {
			throw new EmbeddedPostgresError(
				`Chorus runs as root, so its PostgreSQL runs as the account "${account.name}", which cannot reach ${cluster}. ` +
					'Let others pass through the folders above DATA_DIR (chmod o+x), choose a DATA_DIR elsewhere, or run Chorus as an ordinary user.'
			);
		}
	}

	private runAs(): { uid?: number; gid?: number } {
		return this.account ? { uid: this.account.uid, gid: this.account.gid } : {};
	}
}

/** PGlite kept its files directly in DATA_DIR; PostgreSQL keeps them in DATA_DIR/postgres. */
function refuseOldPgliteData(dataDir: string): void {
	if (!existsSync(join(dataDir, 'PG_VERSION'))) return;
	throw new EmbeddedPostgresError(
		`${dataDir} holds a database of an earlier Chorus (the PGlite engine), which this version no longer opens: ` +
			'Chorus now runs a real PostgreSQL server. Keep that folder as it is, start this version with a new DATA_DIR, ' +
			'and move the data over with the earlier version running (or ask for help: nothing in the old folder has been changed).'
	);
}

function postmasterPid(cluster: string): number | undefined {
	try {
		const pid = Number(readFileSync(join(cluster, 'postmaster.pid'), 'utf8').split('\n')[0]);
		return Number.isInteger(pid) && pid > 0 ? pid : undefined;
	} catch {
		return undefined;
	}
}

/** True when `pid` runs PostgreSQL on `cluster` (not some other program that got the same pid). */
function isPostgresOf(pid: number, cluster: string): boolean {
	try {
		const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
		return command.some((part) => part.endsWith('postgres')) && command.includes(cluster);
	} catch {
		try {
			process.kill(pid, 0);
			return process.platform !== 'linux'; // without /proc, a live pid is taken to be PostgreSQL
		} catch {
			return false;
		}
	}
}

/** Stops a process: SIGINT (PostgreSQL's fast shutdown), then harder signals if it does not end. */
export async function stopProcess(pid: number): Promise<void> {
	const signals: [NodeJS.Signals, number][] = [
		['SIGINT', 20_000],
		['SIGQUIT', 5_000],
		['SIGKILL', 5_000]
	];
	for (const [signal, wait] of signals) {
		try {
			process.kill(pid, signal);
		} catch {
			return;
		}
		const until = Date.now() + wait;
		while (Date.now() < until) {
			try {
				process.kill(pid, 0);
			} catch {
				return;
			}
			await new Promise((done) => setTimeout(done, 100));
		}
	}
}

/** PostgreSQL's own programs get a plain environment: no PG* settings of the operator's shell leak in. */
function cleanEnvironment(): NodeJS.ProcessEnv {
	return { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', TZ: 'UTC' };
}

function lastLines(text: string): string {
	return text.trim().split('\n').slice(-8).join('\n');
}
