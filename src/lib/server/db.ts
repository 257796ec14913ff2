import { getDatabase } from '$db/registry';

/** The process's database (opened by server/index.ts or the dev server plugin). */
export const db = getDatabase;
