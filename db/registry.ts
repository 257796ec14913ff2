import type { Database } from './types.ts';

// The Node server and the SvelteKit bundle each load their own copy of db/, so the one open
// database handle is shared through a global symbol rather than module state.
const DATABASE_KEY = Symbol.for('chorus.database');

type WithDatabase = typeof globalThis & { [DATABASE_KEY]?: Database };

/** Makes the process's database handle available to request handlers. */
export function registerDatabase(db: Database | undefined): void {
	(globalThis as WithDatabase)[DATABASE_KEY] = db;
}

/** The process's database handle; throws if the server has not opened one. */
export function getDatabase(): Database {
	const db = (globalThis as WithDatabase)[DATABASE_KEY];
	if (!db) throw new Error('The database is not open: start Chorus through server/index.ts or the Vite dev server.');
	return db;
}
