import { countAccounts } from '../db/accounts.ts';
import { createInvitation } from '../db/invitations.ts';
import type { Database } from '../db/types.ts';

/**
 * On an installation with no accounts, creates a one-time link for the first administrator.
 * @returns the link's path, or null when accounts already exist.
 */
export async function firstAdminLinkIfEmpty(db: Database): Promise<string | null> {
	if ((await countAccounts(db)) > 0) return null;
	const { token } = await createInvitation(db, { kind: 'first_admin', userId: null, createdBy: null });
	return `/invite/${token}`;
}
