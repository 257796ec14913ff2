import { createEmptyPostgresDatabase } from './database.ts';

// Prints the URL of a new, empty PostgreSQL database on the TEST_DATABASE_URL server (for the browser tests).
const serverUrl = process.env.TEST_DATABASE_URL;
if (!serverUrl) {
	console.error('TEST_DATABASE_URL is not set.');
	process.exit(1);
}
const database = await createEmptyPostgresDatabase(serverUrl);
console.log(database.url);
