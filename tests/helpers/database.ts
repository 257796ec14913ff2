import postgres from 'postgres';
import { openDatabase, type OpenDatabase } from '../../db/client.ts';

/** The template database that global-setup migrates once per run, when testing on PostgreSQL. */
export const TEMPLATE_DATABASE = 'chorus_test_template';

/** Which database the integration tests run against, for test names and skips. */
export const testDatabaseKind: 'postgres' | 'pglite' = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';

function withDatabaseName(url: string, name: string): string {
	const parsed = new URL(url);
	parsed.pathname = `/${name}`;
	return parsed.toString();
}

/**
 * A fresh, migrated database for one test file: an in-memory PGlite, or (with TEST_DATABASE_URL) a new
 * PostgreSQL database copied from the migrated template. close() drops it.
 */
export async function createTestDatabase(): Promise<OpenDatabase> {
	const serverUrl = process.env.TEST_DATABASE_URL;
	if (!serverUrl) return openDatabase({ dataDir: 'memory://', holder: 'a test' });

	const name = `chorus_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
	const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
	try {
		await admin.unsafe(`CREATE DATABASE "${name}" TEMPLATE "${TEMPLATE_DATABASE}"`);
	} finally {
		await admin.end();
	}
	const database = await openDatabase({ databaseUrl: withDatabaseName(serverUrl, name), dataDir: '', holder: 'a test' });
	return {
		...database,
		close: async () => {
			await database.close();
			const cleanup = postgres(serverUrl, { max: 1, onnotice: () => {} });
			try {
				await cleanup.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
			} finally {
				await cleanup.end();
			}
		}
	};
}

/** A connection string for a new empty PostgreSQL database (for processes the tests start), with its cleanup. */
export async function createEmptyPostgresDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
	const name = `chorus_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
	const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
	try {
		await admin.unsafe(`CREATE DATABASE "${name}"`);
	} finally {
		await admin.end();
	}
	return {
		url: withDatabaseName(serverUrl, name),
		drop: async () => {
			const cleanup = postgres(serverUrl, { max: 1, onnotice: () => {} });
			try {
				await cleanup.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
			} finally {
				await cleanup.end();
			}
		}
	};
}
