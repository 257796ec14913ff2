import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import { e2eDatabaseEnv, TEST_SIGN_IN_ENV } from './tests/helpers/e2e-server-env.ts';

// Browser tests run in Debian's Chromium: Playwright cannot download its own browsers here.
const chromiumPath = process.env.CHROMIUM_PATH?.trim() || '/usr/bin/chromium';
if (!existsSync(chromiumPath)) {
	throw new Error(
		process.env.CHROMIUM_PATH?.trim()
			? `Chromium is missing: CHROMIUM_PATH is ${chromiumPath}, which does not exist. Point it to a Chromium binary, or unset it and install Debian’s Chromium with \`apt-get install -y chromium\`.`
			: "Chromium is missing: install it with `apt-get install -y chromium` (the browser tests use Debian's Chromium at /usr/bin/chromium)"
	);
}

const port = Number(process.env.E2E_PORT || 4173);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
	throw new Error(`E2E_PORT must be a port number from 1 to 65535, not "${process.env.E2E_PORT}".`);
}
const baseURL = `http://127.0.0.1:${port}`;

// The production server with demo data, on a fresh database every run: an empty PostgreSQL given by the caller
// (E2E_DATABASE_URL), or else the embedded PostgreSQL in a new temporary DATA_DIR, as `npm start` runs it. This file is loaded again in each worker;
// the directory is made once, in the runner, which hands it to the workers through the environment and removes it
// when it exits (after the web server has been stopped). The workers open the same database to start sessions
// (tests/helpers/e2e-sessions.ts).
if (!process.env.E2E_DATABASE_URL?.trim() && !process.env.CHORUS_E2E_DATA_DIR) {
	const created = mkdtempSync(join(tmpdir(), 'chorus-e2e-'));
	process.env.CHORUS_E2E_DATA_DIR = created;
	process.on('exit', () => rmSync(created, { recursive: true, force: true }));
}

export default defineConfig({
	testDir: 'tests/e2e',
	fullyParallel: false,
	workers: 1,
	retries: 0,
	forbidOnly: !!process.env.CI,
	timeout: 30_000,
	expect: { timeout: 10_000 },
	reporter: [['list'], ['json', { outputFile: `.test-output/${process.env.E2E_REPORT || 'e2e'}.json` }]],
	use: {
		baseURL,
		headless: true,
		trace: 'off',
		launchOptions: {
			executablePath: chromiumPath,
			args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-gpu']
		}
	},
	projects: [{ name: 'chromium' }],
	webServer: {
		command: 'node --import tsx server/demo.ts',
		url: `${baseURL}/login`,
		wait: { stdout: /Chorus is running at/ },
		reuseExistingServer: false,
		timeout: 120_000,
		stdout: 'pipe',
		stderr: 'pipe',
		// The server stops cleanly on SIGTERM (closes the database); it is killed if it takes longer.
		gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
		env: {
			PORT: String(port),
			HOST: '127.0.0.1',
			...TEST_SIGN_IN_ENV,
			...e2eDatabaseEnv()
		}
	}
});
