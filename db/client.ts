import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { DataDirLockedError, lockDataDir, readDataDirLock } from './data-dir-lock.ts';
import { EmbeddedPostgres, runningPostmaster, socketTarget, type SocketTarget } from './embedded/postgres-server.ts';
import { APP_ROLE, grantAppPrivileges } from './privileges.ts';
import * as schema from './schema/index.ts';
import type { Database } from './types.ts';

export interface DatabaseOptions {
	/** postgres://… of an external PostgreSQL server; without it Chorus runs its own (embedded) one in dataDir. */
	databaseUrl?: string;
	/**
	 * postgres://… of the role that owns the tables, when it is not the one in databaseUrl: migrations and grants
	 * run as this one, and databaseUrl's user only needs to be a member of APP_ROLE.
	 */
	ownerUrl?: string;
	/** DATA_DIR: where the embedded PostgreSQL keeps its cluster (DATA_DIR/postgres). */
	dataDir: string;
	/** Who is opening it, named in the message another process gets when the data directory is busy. */
	holder: string;
	/**
	 * For the command line: when a Chorus server already runs the embedded PostgreSQL of dataDir, connect to it
	 * instead of refusing. Whoever starts the embedded server otherwise owns it and stops it on close.
	 */
	joinRunningServer?: boolean;
	/** The unprivileged account for the embedded PostgreSQL when Chorus runs as root (EMBEDDED_POSTGRES_USER). */
	embeddedAccount?: string;
	/** Progress and trouble an operator should read (first start, recovery, the database server stopping). */
	say?: (line: string) => void;
	/**
	 * The embedded PostgreSQL stopped and could not be started again: nothing can be saved any more. The owner of
	 * the process decides what to do (the servers stop, saying why). Until then no change is acknowledged.
	 */
	onDatabaseLost?: (reason: string) => void;
}

export interface OpenDatabase {
	db: Database;
	/**
	 * A small pool of its own for committing live changes, so that no long read (an audit export, a history
	 * replay) can queue in front of a keystroke's commit (db/plan-log.ts commitPlanChanges).
	 */
	commitClient: postgres.Sql;
	kind: 'embedded' | 'external';
	/** Where the data lives, for start-up messages (never includes a password). */
	location: string;
	/** The embedded server, when this process runs it. */
	embedded?: EmbeddedPostgres;
	/** A one-connection client as the role that owns the tables (backups, restores); the caller ends it. */
	connectAsOwner(): postgres.Sql;
	close(): Promise<void>;
}

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/** How postgres.js reaches a server: a URL, or a Unix socket folder. */
type Target = string | SocketTarget;

/** Raised when the user that serves the app cannot act as APP_ROLE. */
export class AppRoleError extends Error {
	override name = 'AppRoleError';
}

/**
 * Opens the database — the external PostgreSQL of databaseUrl, or else the embedded one in dataDir, started here
 * (or joined, for the command line, when a Chorus server runs it) — applies every pending migration and sets the
 * app role's privileges (as the owner), then returns handles on which every query runs as APP_ROLE, which cannot
 * change what it must not (db/privileges.ts).
 * Throws DataDirLockedError when another process holds the embedded database, AppRoleError when databaseUrl's
 * user may not act as APP_ROLE, EmbeddedPostgresError when the embedded server cannot run (saying why).
 */
export async function openDatabase(options: DatabaseOptions): Promise<OpenDatabase> {
	if (options.databaseUrl) {
		const target = postgresTarget(options.databaseUrl);
		const ownerTarget = options.ownerUrl ? postgresTarget(options.ownerUrl) : target;
		await migrateAndGrant(ownerTarget);
		const pools = await openAppPools(target);
		return {
			...pools,
			kind: 'external',
			location: describePostgresUrl(options.databaseUrl),
			connectAsOwner: () => connect(ownerTarget, { max: 1 }),
			close: pools.end
		};
	}
	const say = options.say ?? (() => {});
	let release: () => void;
	try {
		release = lockDataDir(options.dataDir, options.holder, { shared: !options.joinRunningServer });
	} catch (error) {
		if (!(error instanceof DataDirLockedError) || !options.joinRunningServer || !error.shared) throw error;
		return joinRunningEmbedded(options, error);
	}
	let embedded: EmbeddedPostgres | undefined;
	try {
		embedded = await EmbeddedPostgres.start({ dataDir: options.dataDir, account: options.embeddedAccount, say });
		await migrateAndGrant(embedded.target);
		const pools = await openAppPools(embedded.target);
		superviseEmbedded(embedded, say, options.onDatabaseLost);
		const server = embedded;
		return {
			...pools,
			kind: 'embedded',
			location: `${server.dataDir} (PostgreSQL on a Unix socket, no TCP port)`,
			embedded: server,
			connectAsOwner: () => connect(server.target, { max: 1 }),
			close: async () => {
				try {
					await pools.end();
					await server.stop();
				} finally {
					release();
				}
			}
		};
	} catch (error) {
		await embedded?.stop();
		release();
		throw error;
	}
}

/** The command line while a Chorus server runs the embedded PostgreSQL: connect to it through its socket. */
async function joinRunningEmbedded(options: DatabaseOptions, locked: DataDirLockedError): Promise<OpenDatabase> {
	const deadline = Date.now() + 60_000;
	// The server may still be starting its database (a first start takes a few seconds).
	while (runningPostmaster(options.dataDir) === undefined) {
		if (Date.now() > deadline || readDataDirLock(options.dataDir)?.pid !== locked.holderPid) throw locked;
		await new Promise((done) => setTimeout(done, 200));
	}
	const pools = await openAppPools(socketTarget(options.dataDir), { max: 2, attempts: 300 });
	return {
		...pools,
		kind: 'embedded',
		location: `${options.dataDir} (the running server's PostgreSQL)`,
		connectAsOwner: () => connect(socketTarget(options.dataDir), { max: 1 }),
		close: pools.end
	};
}

/**
 * When the embedded PostgreSQL stops unexpectedly, every commit fails (nothing is acknowledged) and rooms close
 * their sockets; editors keep their words and resend them once the server is back. It is started again at once
 * (PostgreSQL recovers every committed change from its WAL), a few times; after that the database is lost.
 */
function superviseEmbedded(embedded: EmbeddedPostgres, say: (line: string) => void, onLost?: (reason: string) => void): void {
	embedded.onUnexpectedExit(async (description) => {
		say(`The database server stopped unexpectedly (${description}). No change is acknowledged until it is back: starting it again…`);
		for (const wait of [0, 1_000, 3_000, 10_000]) {
			await new Promise((done) => setTimeout(done, wait));
			try {
				await embedded.restart();
				say('The database server is running again; editors reconnect and their unsaved words are saved now.');
				return;
			} catch (error) {
				say(`Starting the database server again failed: ${(error as Error).message}`);
			}
		}
		onLost?.(`the database server stopped (${description}) and could not be started again; see ${embedded.dataDir}/postgres.log`);
	});
}

/** Migrates as the owner and gives the app role its privileges, on a single connection that is closed after. */
async function migrateAndGrant(ownerTarget: Target): Promise<void> {
	const owner = connect(ownerTarget, { max: 1 });
	try {
		const ownerDb = drizzle(owner, { schema });
		await migrate(ownerDb, { migrationsFolder });
		await grantAppPrivileges(ownerDb as unknown as Database);
	} finally {
		await owner.end({ timeout: 5 });
	}
}

/** The app's pools (general and commits), each connection starting as APP_ROLE; checks that the user may act as it. */
async function openAppPools(target: Target, { max = 10, attempts = 1 } = {}): Promise<Pick<OpenDatabase, 'db' | 'commitClient'> & { end(): Promise<void> }> {
	// A startup parameter, so every pooled connection begins as the app role and RESET ROLE returns to it.
	const general = connect(target, { max, connection: { role: APP_ROLE } });
	const commits = connect(target, { max: 2, connection: { role: APP_ROLE } });
	const end = async () => {
		await Promise.all([general.end({ timeout: 5 }), commits.end({ timeout: 5 })]);
	};
	for (let attempt = 1; ; attempt++) {
		try {
			await general`SELECT 1`;
			break;
		} catch (error) {
			if ((error as { code?: unknown }).code === '42501') {
				await end();
				const user = general.options.user;
				throw new AppRoleError(
					`${user} may not act as the database role ${APP_ROLE}, which Chorus runs its queries as. ` +
						`As the owner of the database, run: GRANT ${APP_ROLE} TO "${user}";`,
					{ cause: error }
				);
			}
			if (attempt >= attempts) {
				await end();
				throw error;
			}
			await new Promise((done) => setTimeout(done, 200));
		}
	}
	return { db: drizzle(general, { schema }) as unknown as Database, commitClient: commits, end };
}

function connect(target: Target, options: postgres.Options<Record<string, postgres.PostgresType>>): postgres.Sql {
	const common = { onnotice: () => {}, ...options };
	return typeof target === 'string' ? postgres(target, common) : postgres({ ...target, ...common });
}

/**
 * A DATABASE_URL as postgres.js takes it. Besides postgres://user:secret@host:5432/db it accepts libpq's form for a
 * local server's Unix socket, postgres://user@/db?host=/var/run/postgresql.
 */
export function postgresTarget(url: string): Target {
	const parsed = new URL(url);
	const socketDir = parsed.searchParams.get('host');
	if (!socketDir?.startsWith('/')) return url;
	return {
		host: socketDir,
		port: Number(parsed.port || parsed.searchParams.get('port') || 5432),
		user: decodeURIComponent(parsed.username) || undefined!,
		...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
		database: decodeURIComponent(parsed.pathname.slice(1)) || undefined!
	} as SocketTarget;
}

/** postgres://user:secret@host:5432/chorus → postgres://host:5432/chorus */
export function describePostgresUrl(url: string): string {
	try {
		const parsed = new URL(url);
		const socketDir = parsed.searchParams.get('host');
		if (socketDir?.startsWith('/')) return `${parsed.protocol}//${parsed.pathname.slice(1)} on the socket in ${socketDir}`;
		return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
	} catch {
		return 'PostgreSQL';
	}
}
