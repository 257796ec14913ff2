/**
 * Where the browser tests' server keeps its data, as its environment says it (playwright.config.ts hands these to
 * the server; the browser-test workers read them to open the same database): the empty PostgreSQL database
 * E2E_DATABASE_URL, or else the embedded PostgreSQL in CHORUS_E2E_DATA_DIR (made by playwright.config.ts).
 * An empty value means "not set" to the server, so nothing leaks in from the caller's environment.
 */
export function e2eDatabaseEnv(): { DATABASE_URL: string; DATA_DIR: string } {
	const databaseUrl = process.env.E2E_DATABASE_URL?.trim() || '';
	return { DATABASE_URL: databaseUrl, DATA_DIR: databaseUrl ? '' : (process.env.CHORUS_E2E_DATA_DIR ?? '') };
}
