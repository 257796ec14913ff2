import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../db/client.ts';
import { EmbeddedPostgres } from '../../db/embedded/postgres-server.ts';
import { onTestServer, TEMPLATE_DATABASE, withDatabaseName } from '../helpers/database.ts';

let embedded: EmbeddedPostgres | undefined;
let embeddedDir: string | undefined;

/**
 * Without TEST_DATABASE_URL, starts one embedded PostgreSQL for the whole run (test files and the servers they
 * start make databases on it). Then migrates a template database once; each test file copies it.
 */
export async function setup(): Promise<void> {
	if (!process.env.TEST_DATABASE_URL) {
		embeddedDir = mkdtempSync(join(tmpdir(), 'chorus-test-pg-'));
		embedded = await EmbeddedPostgres.start({ dataDir: embeddedDir });
		const { host, user } = embedded.target;
		process.env.CHORUS_EMBEDDED_TEST_URL = `postgres://${user}@localhost/postgres?host=${encodeURIComponent(host)}`;
	}
	await onTestServer(async (admin) => {
		await admin.unsafe(`DROP DATABASE IF EXISTS "${TEMPLATE_DATABASE}" WITH (FORCE)`);
		await admin.unsafe(`CREATE DATABASE "${TEMPLATE_DATABASE}"`);
	});
	const serverUrl = process.env.TEST_DATABASE_URL || process.env.CHORUS_EMBEDDED_TEST_URL!;
	const template = await openDatabase({ databaseUrl: withDatabaseName(serverUrl, TEMPLATE_DATABASE), dataDir: '', holder: 'test setup' });
	await template.close();
}

export async function teardown(): Promise<void> {
	await embedded?.stop();
	if (embeddedDir) rmSync(embeddedDir, { recursive: true, force: true });
}
