import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { lockDataDir } from './data-dir-lock.ts';
import * as schema from './schema/index.ts';
import type { Database } from './types.ts';

export interface DatabaseOptions {
	/** postgres://… to use PostgreSQL; otherwise the embedded PGlite database is used. */
	databaseUrl?: string;
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

/**
 * Opens the database and applies every pending migration before returning.
 * Throws DataDirLockedError when another process holds the embedded database.
 */
export async function openDatabase(options: DatabaseOptions): Promise<OpenDatabase> {
	if (options.databaseUrl) {
		const sql = postgres(options.databaseUrl, { max: 10, onnotice: () => {} });
		const db = drizzlePostgres(sql, { schema });
		try {
			await migratePostgres(db, { migrationsFolder });
		} catch (error) {
			await sql.end({ timeout: 5 });
			throw error;
		}
		return {
			db: db as unknown as Database,
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
