import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema/index.ts';

/** A drizzle handle on PostgreSQL (embedded or external): every function in db/ takes one of these. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
