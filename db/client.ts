import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { lockDataDir } from './data-dir-lock.ts';
import { APP_ROLE, grantAppPrivileges } from './privileges.ts';
import * as schema from './schema/index.ts';
import type { Database } from './types.ts';

export interface DatabaseOptions {
	/** postgres://… to use PostgreSQL; otherwise the embedded PGlite database is used. */
	databaseUrl?: string;
	/**
	 * postgres://… of the role that owns the tables, when it is not the one in databaseUrl: migrations and grants
	 * run as this one, and databaseUrl's user only needs to be a member of APP_ROLE.
	 */
	ownerUrl?: string;
	/** Where PGlite keeps its files; `memory://` for a throw-away database (tests). */
	dataDir: string;
	/** Who is opening it, named in the message another process gets when the data directory is busy. */
	holder: string;
}

export interface OpenDatabase {
	db: Database;
	kind: 'pglite' | 'postgres';
	/** Where the data lives, for start-up messages (never includes a password). */
	location: string;
	close(): Promise<void>;
}

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/** Raised when the user that serves the app cannot act as APP_ROLE. */
export class AppRoleError extends Error {
	override name = 'AppRoleError';
}

/**
 * Opens the database, applies every pending migration and sets the app role's privileges (as the owner), then
 * returns a handle on which every query runs as APP_ROLE, which cannot change what it must not (db/privileges.ts).
 * Throws DataDirLockedError when another process holds the embedded database, AppRoleError when databaseUrl's
 * user may not act as APP_ROLE.
 */
export async function openDatabase(options: DatabaseOptions): Promise<OpenDatabase> {
	if (options.databaseUrl) {
		const owner = postgres(options.ownerUrl ?? options.databaseUrl, { max: 1, onnotice: () => {} });
		try {
			const ownerDb = drizzlePostgres(owner, { schema });
			await migratePostgres(ownerDb, { migrationsFolder });
			await grantAppPrivileges(ownerDb as unknown as Database);
		} finally {
			await owner.end({ timeout: 5 });
		}
		// A startup parameter, so every pooled connection begins as the app role and RESET ROLE returns to it.
		const sql = postgres(options.databaseUrl, { max: 10, onnotice: () => {}, connection: { role: APP_ROLE } });
		try {
			await sql`SELECT 1`;
		} catch (error) {
			await sql.end({ timeout: 5 });
			if ((error as { code?: unknown }).code !== '42501') throw error;
			const user = sql.options.user;
			throw new AppRoleError(
				`${user} may not act as the database role ${APP_ROLE}, which Chorus runs its queries as. ` +
					`As the owner of the database, run: GRANT ${APP_ROLE} TO "${user}";`,
				{ cause: error }
			);
		}
		return {
			db: drizzlePostgres(sql, { schema }) as unknown as Database,
			kind: 'postgres',
			location: describePostgresUrl(options.databaseUrl),
			close: () => sql.end({ timeout: 5 })
		};
	}

	const inMemory = options.dataDir.startsWith('memory://');
	const release = inMemory ? () => {} : lockDataDir(options.dataDir, options.holder);
	try {
		const client = await PGlite.create(options.dataDir);
		const db = drizzlePglite(client, { schema });
		await migratePglite(db, { migrationsFolder });
		await grantAppPrivileges(db as unknown as Database);
		// PGlite has a single connection: from here on it runs as the app role.
		await client.exec(`SET ROLE ${APP_ROLE}`);
		return {
			db: db as unknown as Database,
			kind: 'pglite',
			location: inMemory ? 'in memory' : options.dataDir,
			close: async () => {
				try {
					await client.close();
				} finally {
					release();
				}
			}
		};
	} catch (error) {
		release();
		throw error;
	}
}

/** postgres://user:secret@host:5432/chorus → postgres://host:5432/chorus */
export function describePostgresUrl(url: string): string {
	try {
		const parsed = new URL(url);
		return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
	} catch {
		return 'PostgreSQL';
	}
}
