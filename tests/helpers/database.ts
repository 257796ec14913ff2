import postgres from 'postgres';
import { openDatabase, postgresTarget, type OpenDatabase } from '../../db/client.ts';

/** The template database that global-setup migrates once per run; each test database is a copy of it. */
export const TEMPLATE_DATABASE = 'chorus_test_template';

/**
 * The PostgreSQL server the integration tests use: an external one (TEST_DATABASE_URL, as CI's second pass), or
 * else the embedded PostgreSQL that global-setup starts for the run (the same engine Chorus runs by default).
 */
export function testServerUrl(): string {
	const url = process.env.TEST_DATABASE_URL || process.env.CHORUS_EMBEDDED_TEST_URL;
	if (!url) throw new Error('No test PostgreSQL: run the integration tests through vitest (its global setup starts one).');
	return url;
}

/** Which PostgreSQL the integration tests run against, for test names and skips. */
export const testDatabaseKind: 'external' | 'embedded' = process.env.TEST_DATABASE_URL ? 'external' : 'embedded';

/** The same server, another database. Keeps libpq's socket form (?host=/dir) intact. */
export function withDatabaseName(url: string, name: string): string {
	const parsed = new URL(url);
	parsed.pathname = `/${name}`;
	return parsed.toString();
}

/** A one-connection postgres.js client for a URL (also libpq's socket form); the caller ends it. */
export function postgresClient(url: string): postgres.Sql {
	const target = postgresTarget(url);
	const options = { max: 1, onnotice: () => {} };
	return typeof target === 'string' ? postgres(target, options) : postgres({ ...target, ...options });
}

/** A short-lived client on the test server's maintenance database, for CREATE/DROP DATABASE. */
export async function onTestServer<T>(run: (admin: postgres.Sql) => Promise<T>, url = testServerUrl()): Promise<T> {
	const admin = postgresClient(url);
	try {
		return await run(admin);
	} finally {
		await admin.end();
	}
}

function newDatabaseName(): string {
	return `chorus_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
}

/** A fresh, migrated database for one test file, copied from the migrated template. close() drops it. */
export async function createTestDatabase(): Promise<OpenDatabase> {
	const serverUrl = testServerUrl();
	const name = newDatabaseName();
	await onTestServer((admin) => admin.unsafe(`CREATE DATABASE "${name}" TEMPLATE "${TEMPLATE_DATABASE}"`));
	const database = await openDatabase({ databaseUrl: withDatabaseName(serverUrl, name), dataDir: '', holder: 'a test' });
	return {
		...database,
		close: async () => {
			await database.close();
			await onTestServer((admin) => admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
		}
	};
}

/** A connection string for a new empty database (for processes the tests start), with its cleanup. */
export async function createEmptyPostgresDatabase(serverUrl = testServerUrl()): Promise<{ url: string; drop(): Promise<void> }> {
	const name = newDatabaseName();
	await onTestServer((admin) => admin.unsafe(`CREATE DATABASE "${name}"`), serverUrl);
	return {
		url: withDatabaseName(serverUrl, name),
		drop: () => onTestServer((admin) => admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`), serverUrl).then(() => {})
	};
}
