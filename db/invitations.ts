import { alias } from 'drizzle-orm/pg-core';
import { and, desc, eq, gt, isNotNull, isNull, ne, or, sql } from 'drizzle-orm';
import { recordAuditEvent } from './audit.ts';
import { err, ok, type Result } from './result.ts';
import { invitation, session, signInAttempt, user, type Invitation, type Session, type User } from './schema/index.ts';
import { createSession, generateSessionToken } from './session.ts';
import { generateSecretToken, hashToken } from './tokens.ts';
import type { Database } from './types.ts';

const HOUR_MS = 60 * 60 * 1000;
/** How long a set-your-password link stays valid. */
export const INVITATION_LIFETIME_MS = 7 * 24 * HOUR_MS;
/** How long the link for the first administrator stays valid. */
export const FIRST_ADMIN_LIFETIME_MS = 24 * HOUR_MS;

/** Serialises the use of first-administrator links, which belong to no account row that could be locked. */
const FIRST_ADMIN_LOCK = sql`pg_advisory_xact_lock(hashtext('chorus.first_admin_link'))`;

/** What a link does for its account: set the first password, or replace one the account already has. */
export type LinkPurpose = 'first_password' | 'reset';

/** Locks the account's row until the transaction ends, so that making, using and cancelling its links take turns. */
async function lockAccount(tx: Database, userId: string): Promise<Pick<User, 'id' | 'passwordHash' | 'disabledAt'> | null> {
	const [row] = await tx
		.select({ id: user.id, passwordHash: user.passwordHash, disabledAt: user.disabledAt })
		.from(user)
		.where(eq(user.id, userId))
		.for('update');
	return row ?? null;
}

/** Links of one account that can still be used (first-administrator links when `userId` is null). */
function openLinksOf(userId: string | null, now: Date) {
	return and(
		userId ? eq(invitation.userId, userId) : eq(invitation.kind, 'first_admin'),
		isNull(invitation.usedAt),
		isNull(invitation.revokedAt),
		gt(invitation.expiresAt, now)
	);
}

export interface NewInvitation {
	kind: Invitation['kind'];
	userId: string | null;
	/** Who is making it: null for the command line and the start-up link for the first administrator. */
	createdBy: string | null;
	lifetimeMs?: number;
	/** For the audit event: where it was asked for from, and anything to add to its detail (e.g. the plan). */
	origin?: { ip?: string | null; detail?: Record<string, unknown> };
}

/**
 * Creates a one-time link token and records it in the audit trail. Only its hash is stored, so the link can be
 * shown once and never again. Every older unused link of the same account (or every older first-administrator
 * link) stops working.
 * @returns the token to put in the link, and whether it would replace a password the account already has.
 */
export async function createInvitation(
	db: Database,
	options: NewInvitation
): Promise<{ token: string; invitation: Invitation; purpose: LinkPurpose; replaced: number }> {
	const token = generateSecretToken();
	const lifetime = options.lifetimeMs ?? (options.kind === 'first_admin' ? FIRST_ADMIN_LIFETIME_MS : INVITATION_LIFETIME_MS);
	return db.transaction(async (tx) => {
		let purpose: LinkPurpose = 'first_password';
		if (options.userId) {
			const account = await lockAccount(tx as unknown as Database, options.userId);
			if (!account) throw new Error(`No account ${options.userId} to make a sign-in link for.`);
			if (account.passwordHash !== null) purpose = 'reset';
		} else {
			await tx.execute(sql`select ${FIRST_ADMIN_LOCK}`);
		}
		// Taken once the lock is held, so that the newest link is also the one made last.
		const now = new Date();
		const replaced = await tx
			.update(invitation)
			.set({ revokedAt: now, revokedReason: 'replaced' })
			.where(openLinksOf(options.userId, now))
			.returning({ id: invitation.id });
		const [row] = await tx
			.insert(invitation)
			.values({
				id: hashToken(token),
				kind: options.kind,
				userId: options.userId,
				createdBy: options.createdBy,
				createdAt: now,
				expiresAt: new Date(now.getTime() + lifetime)
			})
			.returning();
		await recordAuditEvent(tx as unknown as Database, {
			actorId: options.createdBy,
			action: 'invitation.created',
			targetType: options.userId ? 'user' : undefined,
			targetId: options.userId,
			ip: options.origin?.ip,
			detail: { ...options.origin?.detail, kind: options.kind, purpose, expiresAt: row!.expiresAt.toISOString(), olderLinksRevoked: replaced.length }
		});
		return { token, invitation: row!, purpose, replaced: replaced.length };
	});
}

/** A person as a link or notice names them. */
export interface LinkPerson {
	id: string;
	displayName: string;
	role: User['role'];
	discipline: User['discipline'];
}

export type InvitationLookup =
	| {
			status: 'valid';
			invitation: Invitation;
			user: Pick<User, 'id' | 'username' | 'displayName' | 'role'> | null;
			purpose: LinkPurpose;
			createdBy: LinkPerson | null;
	  }
	| { status: 'used' | 'expired' | 'revoked' | 'unknown'; revokedReason?: NonNullable<Invitation['revokedReason']> };

const creator = alias(user, 'creator');

/** Finds the invitation for a link token and says whether it can still be used. */
export async function lookUpInvitation(db: Database, token: string): Promise<InvitationLookup> {
	const [row] = await db
		.select({
			invitation,
			user: {
				id: user.id,
				username: user.username,
				displayName: user.displayName,
				role: user.role,
				disabledAt: user.disabledAt,
				hasPassword: sql<boolean>`${user.passwordHash} is not null`
			},
			creator: { id: creator.id, displayName: creator.displayName, role: creator.role, discipline: creator.discipline }
		})
		.from(invitation)
		.leftJoin(user, eq(invitation.userId, user.id))
		.leftJoin(creator, eq(invitation.createdBy, creator.id))
		.where(eq(invitation.id, hashToken(token)));
	if (!row) return { status: 'unknown' };
	if (row.invitation.usedAt) return { status: 'used' };
	if (row.invitation.revokedAt) return { status: 'revoked', revokedReason: row.invitation.revokedReason ?? undefined };
	if (row.invitation.expiresAt.getTime() <= Date.now()) return { status: 'expired' };
	if (row.invitation.kind === 'set_password' && (!row.user || row.user.disabledAt)) return { status: 'unknown' };
	const invitee = row.user ? { id: row.user.id, username: row.user.username, displayName: row.user.displayName, role: row.user.role } : null;
	return {
		status: 'valid',
		invitation: row.invitation,
		user: invitee,
		purpose: row.user?.hasPassword ? 'reset' : 'first_password',
		createdBy: row.creator
	};
}

export interface Redemption {
	/** The password to set, already hashed. */
	passwordHash: string;
	/** Where the link is being used from, for the new session and the audit trail. */
	client: { ip: string | null; userAgent: string | null };
	/** For a first-administrator link: the account to create. */
	newAdmin?: { username: string; displayName: string };
}

export interface Redeemed {
	userId: string;
	sessionToken: string;
	session: Session;
	purpose: LinkPurpose;
}

/**
 * Uses up a link in one transaction: exactly one use wins, even when a link (or two links of one account) is
 * submitted at once. Sets the password (or creates the first administrator), revokes the account's other links,
 * ends every session of the account and opens a new one. The audit trail records that someone using the link set
 * the password, never the account's owner, since nobody can tell who held the link.
 * @returns 'gone' when the link was used, revoked or expired meanwhile; 'username_taken' for a first
 * administrator whose chosen username exists.
 */
export async function redeemInvitation(db: Database, token: string, redemption: Redemption): Promise<Result<Redeemed, 'gone' | 'username_taken'>> {
	return db.transaction(async (transaction) => {
		const tx = transaction as unknown as Database;
		const id = hashToken(token);
		const [found] = await tx.select().from(invitation).where(eq(invitation.id, id));
		if (!found) return err('gone');

		let account: Awaited<ReturnType<typeof lockAccount>> = null;
		if (found.kind === 'set_password') {
			account = found.userId ? await lockAccount(tx, found.userId) : null;
			if (!account || account.disabledAt) return err('gone');
		} else {
			await tx.execute(sql`select ${FIRST_ADMIN_LOCK}`);
			if (!redemption.newAdmin) throw new Error('A first-administrator link needs the new account’s name.');
			const [taken] = await tx.select({ id: user.id }).from(user).where(eq(user.username, redemption.newAdmin.username));
			if (taken) return err('username_taken');
		}
		const now = new Date();

		const [claimed] = await tx
			.update(invitation)
			.set({ usedAt: now })
			.where(and(eq(invitation.id, id), openLinksOf(found.userId, now)))
			.returning();
		if (!claimed) return err('gone');
		await tx
			.update(invitation)
			.set({ revokedAt: now, revokedReason: 'other_link_used' })
			.where(and(ne(invitation.id, id), openLinksOf(found.userId, now)));

		let userId: string;
		let purpose: LinkPurpose = 'first_password';
		if (account) {
			userId = account.id;
			if (account.passwordHash !== null) purpose = 'reset';
			await tx.update(user).set({ passwordHash: redemption.passwordHash }).where(eq(user.id, userId));
			await tx.delete(session).where(eq(session.userId, userId));
		} else {
			const [created] = await tx
				.insert(user)
				.values({ ...redemption.newAdmin!, role: 'admin', discipline: null, passwordHash: redemption.passwordHash })
				.returning({ id: user.id });
			userId = created!.id;
		}

		const sessionToken = generateSessionToken();
		const opened = await createSession(tx, sessionToken, userId, redemption.client);
		await tx
			.update(invitation)
			.set({ replacedPassword: purpose === 'reset', usedSessionId: opened.id })
			.where(eq(invitation.id, id));
		// Failed attempts against the old password no longer say anything: the account's throttle starts afresh.
		await tx.insert(signInAttempt).values({ at: now, userId, ip: redemption.client.ip, succeeded: true });

		const [maker] = found.createdBy ? await tx.select({ displayName: user.displayName }).from(user).where(eq(user.id, found.createdBy)) : [];
		const link = { via: 'link', linkCreatedBy: found.createdBy, linkCreatedByName: maker?.displayName ?? null, linkCreatedAt: found.createdAt.toISOString() };
		await recordAuditEvent(tx, {
			actorId: null,
			action: found.kind === 'first_admin' ? 'account.created' : 'account.password_set',
			targetType: 'user',
			targetId: userId,
			ip: redemption.client.ip,
			detail: found.kind === 'first_admin' ? { ...link, role: 'admin' } : { ...link, change: purpose }
		});
		await recordAuditEvent(tx, { actorId: null, action: 'sign_in', targetType: 'user', targetId: userId, ip: redemption.client.ip, detail: link });
		return ok({ userId, sessionToken, session: opened, purpose });
	});
}

/** True while an unused, unexpired first-administrator link exists. */
export async function hasOpenFirstAdminInvitation(db: Database): Promise<boolean> {
	const rows = await db.select({ id: invitation.id }).from(invitation).where(openLinksOf(null, new Date()));
	return rows.length > 0;
}

/**
 * Stops every open link of the account, at its owner's request.
 * @returns how many links were cancelled (0 when none was open, e.g. it was used a moment ago).
 */
export async function cancelOpenInvitations(db: Database, userId: string): Promise<number> {
	return db.transaction(async (tx) => {
		const now = new Date();
		await lockAccount(tx as unknown as Database, userId);
		const rows = await tx
			.update(invitation)
			.set({ revokedAt: now, revokedReason: 'cancelled' })
			.where(openLinksOf(userId, now))
			.returning({ id: invitation.id });
		return rows.length;
	});
}

/** One link of an account, as its owner sees it. */
export interface AccountLink {
	createdAt: Date;
	expiresAt: Date;
	createdBy: LinkPerson | null;
	status: 'open' | 'used' | 'expired' | 'replaced' | 'other_link_used' | 'cancelled';
	usedAt: Date | null;
	/** For a used link: whether it replaced a password the account had (null for links used before this was kept). */
	replacedPassword: boolean | null;
}

export interface LinkNotices {
	/** Open links that would replace the account's working password. */
	open: AccountLink[];
	/** Links used to set a password, not yet acknowledged, except the use that signed in `currentSessionId`. */
	used: AccountLink[];
}

interface AccountLinkRow {
	createdAt: Date;
	expiresAt: Date;
	usedAt: Date | null;
	revokedReason: Invitation['revokedReason'];
	replacedPassword: boolean | null;
	creator: LinkPerson | null;
}

function selectAccountLinks(db: Database) {
	return db
		.select({
			createdAt: invitation.createdAt,
			expiresAt: invitation.expiresAt,
			usedAt: invitation.usedAt,
			revokedReason: invitation.revokedReason,
			replacedPassword: invitation.replacedPassword,
			creator: { id: creator.id, displayName: creator.displayName, role: creator.role, discipline: creator.discipline }
		})
		.from(invitation)
		.leftJoin(creator, eq(invitation.createdBy, creator.id));
}

function toAccountLink(row: AccountLinkRow, now: number): AccountLink {
	const status: AccountLink['status'] = row.usedAt ? 'used' : row.revokedReason ? row.revokedReason : row.expiresAt.getTime() <= now ? 'expired' : 'open';
	return {
		createdAt: row.createdAt,
		expiresAt: row.expiresAt,
		createdBy: row.creator,
		status,
		usedAt: row.usedAt,
		replacedPassword: row.replacedPassword
	};
}

/** The account's sign-in links, newest first, for its owner's account page. */
export async function listAccountLinks(db: Database, userId: string, limit = 20): Promise<AccountLink[]> {
	const rows = await selectAccountLinks(db).where(eq(invitation.userId, userId)).orderBy(desc(invitation.createdAt)).limit(limit);
	const now = Date.now();
	return rows.map((row) => toAccountLink(row, now));
}

/** What the signed-in owner of an account must be told about its links (see LinkNotices). */
export async function listLinkNotices(db: Database, userId: string, currentSessionId: string | null): Promise<LinkNotices> {
	const now = new Date();
	const rows = await selectAccountLinks(db)
		.innerJoin(user, eq(invitation.userId, user.id))
		.where(
			and(
				eq(invitation.userId, userId),
				or(
					and(openLinksOf(userId, now), isNotNull(user.passwordHash)),
					and(isNotNull(invitation.usedAt), isNull(invitation.noticeDismissedAt), usedInAnotherSession(currentSessionId))
				)
			)
		)
		.orderBy(desc(invitation.createdAt));
	const links = rows.map((row) => toAccountLink(row, now.getTime()));
	return { open: links.filter((link) => link.status === 'open'), used: links.filter((link) => link.status === 'used') };
}

function usedInAnotherSession(currentSessionId: string | null) {
	return currentSessionId ? or(isNull(invitation.usedSessionId), ne(invitation.usedSessionId, currentSessionId)) : sql`true`;
}

/**
 * Records that the owner has read the notices about their links' use (they stay listed on the account page).
 * @returns how many notices were acknowledged.
 */
export async function dismissLinkNotices(db: Database, userId: string, currentSessionId: string | null): Promise<number> {
	const rows = await db
		.update(invitation)
		.set({ noticeDismissedAt: new Date() })
		.where(and(eq(invitation.userId, userId), isNotNull(invitation.usedAt), isNull(invitation.noticeDismissedAt), usedInAnotherSession(currentSessionId)))
		.returning({ id: invitation.id });
	return rows.length;
}
