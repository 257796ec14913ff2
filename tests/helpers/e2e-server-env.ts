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

/**
 * How test servers sign people in unless a test says otherwise: passwords alone (most tests are not about second
 * factors; those that are start their server with REQUIRE_MFA_FOR=staff), and a key for authenticator apps.
 */
export const TEST_SIGN_IN_ENV = { REQUIRE_MFA_FOR: 'none', ENCRYPTION_KEY: 'Y2hvcnVzLXRlc3RzLW9ubHktbm90LWEtcmVhbC1rZXk=' };
