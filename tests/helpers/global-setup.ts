import postgres from 'postgres';
import { openDatabase } from '../../db/client.ts';
import { TEMPLATE_DATABASE } from '../helpers/database.ts';

/** With TEST_DATABASE_URL, migrates a template database once; each test file then copies it. */
export async function setup(): Promise<void> {
	const serverUrl = process.env.TEST_DATABASE_URL;
	if (!serverUrl) return;
	const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
	try {
		await admin.unsafe(`DROP DATABASE IF EXISTS "${TEMPLATE_DATABASE}" WITH (FORCE)`);
		await admin.unsafe(`CREATE DATABASE "${TEMPLATE_DATABASE}"`);
	} finally {
		await admin.end();
	}
	const url = new URL(serverUrl);
	url.pathname = `/${TEMPLATE_DATABASE}`;
	const template = await openDatabase({ databaseUrl: url.toString(), dataDir: '', holder: 'test setup' });
	await template.close();
}
