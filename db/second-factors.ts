import { count } from 'drizzle-orm';
import { totpCredential } from './schema/index.ts';
import type { Database } from './types.ts';

/** How many authenticator-app keys are stored (sealed with ENCRYPTION_KEY): start-up refuses to go on without the key then. */
export async function countSealedAuthenticatorKeys(db: Database): Promise<number> {
	const [row] = await db.select({ total: count() }).from(totpCredential);
	return row?.total ?? 0;
}
