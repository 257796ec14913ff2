import { and, eq, gt, isNull } from 'drizzle-orm';
import { invitation, session, user, type Invitation, type User } from './schema/index.ts';
import { generateSecretToken, hashToken } from './tokens.ts';
import type { Database } from './types.ts';

const HOUR_MS = 60 * 60 * 1000;
/** How long a set-your-password link stays valid. */
export const INVITATION_LIFETIME_MS = 7 * 24 * HOUR_MS;
/** How long the link for the first administrator stays valid. */
export const FIRST_ADMIN_LIFETIME_MS = 24 * HOUR_MS;

/**
 * Creates a one-time link token. Only its hash is stored, so the link can be shown once and never again.
 * @returns the token to put in the link.
 */
export async function createInvitation(
	db: Database,
	options: { kind: Invitation['kind']; userId: string | null; createdBy: string | null; lifetimeMs?: number }
): Promise<{ token: string; invitation: Invitation }> {
	const token = generateSecretToken();
	const lifetime = options.lifetimeMs ?? (options.kind === 'first_admin' ? FIRST_ADMIN_LIFETIME_MS : INVITATION_LIFETIME_MS);
	const [row] = await db
		.insert(invitation)
		.values({
			id: hashToken(token),
			kind: options.kind,
			userId: options.userId,
			createdBy: options.createdBy,
			expiresAt: new Date(Date.now() + lifetime)
		})
		.returning();
	return { token, invitation: row! };
}

export type InvitationLookup =
	| { status: 'valid'; invitation: Invitation; user: Pick<User, 'id' | 'username' | 'displayName' | 'role'> | null }
	| { status: 'used' | 'expired' | 'unknown' };

/** Finds the invitation for a link token and says whether it can still be used. */
export async function lookUpInvitation(db: Database, token: string): Promise<InvitationLookup> {
	const [row] = await db
		.select({
			invitation,
			user: { id: user.id, username: user.username, displayName: user.displayName, role: user.role, disabledAt: user.disabledAt }
		})
		.from(invitation)
		.leftJoin(user, eq(invitation.userId, user.id))
		.where(eq(invitation.id, hashToken(token)));
	if (!row) return { status: 'unknown' };
	if (row.invitation.usedAt) return { status: 'used' };
	if (row.invitation.expiresAt.getTime() <= Date.now()) return { status: 'expired' };
	if (row.invitation.kind === 'set_password' && (!row.user || row.user.disabledAt)) return { status: 'unknown' };
	const invitee = row.user ? { id: row.user.id, username: row.user.username, displayName: row.user.displayName, role: row.user.role } : null;
	return { status: 'valid', invitation: row.invitation, user: invitee };
}

/**
 * Uses up an invitation: exactly one caller wins, even when a link is submitted twice at once.
 * Runs `use` inside the same transaction; for set_password, every existing session of the account ends.
 * @returns false when the invitation was already used or has expired.
 */
export async function redeemInvitation(
	db: Database,
	token: string,
	use: (tx: Database, invitation: Invitation) => Promise<void>
): Promise<boolean> {
	return db.transaction(async (tx) => {
		const [claimed] = await tx
			.update(invitation)
			.set({ usedAt: new Date() })
			.where(and(eq(invitation.id, hashToken(token)), isNull(invitation.usedAt), gt(invitation.expiresAt, new Date())))
			.returning();
		if (!claimed) return false;
		if (claimed.userId) await tx.delete(session).where(eq(session.userId, claimed.userId));
		await use(tx as unknown as Database, claimed);
		return true;
	});
}

/** True while an unused, unexpired first-administrator link exists. */
export async function hasOpenFirstAdminInvitation(db: Database): Promise<boolean> {
	const rows = await db
		.select({ id: invitation.id })
		.from(invitation)
		.where(and(eq(invitation.kind, 'first_admin'), isNull(invitation.usedAt), gt(invitation.expiresAt, new Date())));
	return rows.length > 0;
}
