import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAccountById } from '../../db/accounts.ts';
import type { OpenDatabase } from '../../db/client.ts';
import {
	cancelOpenInvitations,
	createInvitation,
	dismissLinkNotices,
	listAccountLinks,
	listLinkNotices,
	lookUpInvitation,
	redeemInvitation,
	type Redemption
} from '../../db/invitations.ts';
import { hashPassword, verifyPassword } from '../../db/password.ts';
import { auditEvent, invitation } from '../../db/schema/index.ts';
import { createSession, generateSessionToken, validateSessionToken } from '../../db/session.ts';
import { signIn } from '../../db/sign-in.ts';
import { generateSecretToken, hashToken } from '../../db/tokens.ts';
import { createTestDatabase, testDatabaseKind } from '../helpers/database.ts';
import { makeAccount, TEST_PASSWORD } from '../helpers/factories.ts';
import { DEFAULT_SIGN_IN_RULES, sessionLimitsOf } from '../../server/config.ts';

const LIMITS = sessionLimitsOf(DEFAULT_SIGN_IN_RULES);

let database: OpenDatabase;
let passwordHash: string;
beforeAll(async () => {
	database = await createTestDatabase();
	passwordHash = await hashPassword('my own words here');
});
afterAll(() => database.close());

const client = { ip: '192.0.2.7', userAgent: 'a test' };
const redemption = (): Redemption => ({ passwordHash, client });
const linkFor = (userId: string, createdBy: string | null = null) => createInvitation(database.db, { kind: 'set_password', userId, createdBy });

describe(`sign-in links (${testDatabaseKind})`, () => {
	it('stores only the hash of the link token', async () => {
		const person = await makeAccount(database.db, 'service_user', { password: null });
		const { token } = await linkFor(person.id);
		const rows = await database.db.select().from(invitation).where(eq(invitation.userId, person.id));
		expect(rows.map((row) => row.id)).toEqual([hashToken(token)]);
	});

	it('lets the person set a password once and signs them in; the link cannot be used again', async () => {
		const person = await makeAccount(database.db, 'service_user', { password: null });
		const { token, purpose } = await linkFor(person.id);
		expect(purpose).toBe('first_password');
		expect(await lookUpInvitation(database.db, token)).toMatchObject({ status: 'valid', user: { id: person.id }, purpose: 'first_password' });
		const redeemed = await redeemInvitation(database.db, token, redemption());
		if (!redeemed.ok) throw new Error(`not redeemed: ${redeemed.error}`);
		expect(redeemed.value).toMatchObject({ userId: person.id, purpose: 'first_password' });
		expect((await validateSessionToken(database.db, redeemed.value.sessionToken, LIMITS)).user?.id).toBe(person.id);
		expect(await redeemInvitation(database.db, token, redemption())).toEqual({ ok: false, error: 'gone' });
		expect(await lookUpInvitation(database.db, token)).toEqual({ status: 'used' });
		expect((await signIn(database.db, { username: person.username, password: 'my own words here', ip: null })).ok).toBe(true);
	});

	it('lets exactly one of simultaneous submissions of one link win', async () => {
		const person = await makeAccount(database.db, 'service_user', { password: null });
		const { token } = await linkFor(person.id);
		const results = await Promise.all([0, 1, 2].map(() => redeemInvitation(database.db, token, redemption())));
		expect(results.filter((result) => result.ok)).toHaveLength(1);
	});

	it('refuses expired and unknown links', async () => {
		const person = await makeAccount(database.db, 'service_user', { password: null });
		const { token } = await createInvitation(database.db, { kind: 'set_password', userId: person.id, createdBy: null, lifetimeMs: -1000 });
		expect(await lookUpInvitation(database.db, token)).toEqual({ status: 'expired' });
		expect(await redeemInvitation(database.db, token, redemption())).toEqual({ ok: false, error: 'gone' });
		expect(await lookUpInvitation(database.db, generateSessionToken())).toEqual({ status: 'unknown' });
	});

	it('signs the account out everywhere when a new password is set through a link', async () => {
		const person = await makeAccount(database.db, 'service_user');
		const sessionToken = generateSessionToken();
		await createSession(database.db, sessionToken, person.id);
		const { token, purpose } = await linkFor(person.id);
		expect(purpose).toBe('reset');
		await redeemInvitation(database.db, token, redemption());
		expect((await validateSessionToken(database.db, sessionToken, LIMITS)).session).toBeNull();
	});

	it('creates the first administrator once, and keeps the link working when the chosen username is taken', async () => {
		const existing = await makeAccount(database.db, 'professional');
		const { token } = await createInvitation(database.db, { kind: 'first_admin', userId: null, createdBy: null });
		const taken = await redeemInvitation(database.db, token, { ...redemption(), newAdmin: { username: existing.username, displayName: 'Ada' } });
		expect(taken).toEqual({ ok: false, error: 'username_taken' });
		expect((await lookUpInvitation(database.db, token)).status).toBe('valid');
		const username = `ada-${generateSecretToken().slice(0, 6)}`;
		const created = await redeemInvitation(database.db, token, { ...redemption(), newAdmin: { username, displayName: 'Ada' } });
		if (!created.ok) throw new Error(created.error);
		expect((await findAccountById(database.db, created.value.userId))?.role).toBe('admin');
	});

	it('keeps only the newest link of an account working, even when several are made at once', async () => {
		const person = await makeAccount(database.db, 'service_user', { password: null });
		const older = await linkFor(person.id);
		const newer = await linkFor(person.id);
		expect(newer.replaced).toBe(1);
		expect(await lookUpInvitation(database.db, older.token)).toEqual({ status: 'revoked', revokedReason: 'replaced' });
		expect(await redeemInvitation(database.db, older.token, redemption())).toEqual({ ok: false, error: 'gone' });

		const burst = await Promise.all([0, 1, 2, 3, 4].map(() => linkFor(person.id)));
		const open = [];
		for (const link of [newer, ...burst]) if ((await lookUpInvitation(database.db, link.token)).status === 'valid') open.push(link);
		expect(open).toHaveLength(1);
		expect(open[0]!.invitation.createdAt.getTime()).toBe(Math.max(...burst.map((link) => link.invitation.createdAt.getTime())));
	});

	it('lets only one of two open links of an account be used, even at once, and revokes the other', async () => {
		const person = await makeAccount(database.db, 'service_user', { password: null });
		// Two links open at the same time, as links made before the one-open-link rule could be.
		const tokens = [generateSecretToken(), generateSecretToken()];
		await database.db.insert(invitation).values(
			tokens.map((token) => ({
				id: hashToken(token),
				kind: 'set_password' as const,
				userId: person.id,
				createdBy: null,
				expiresAt: new Date(Date.now() + 60_000)
			}))
		);
		const results = await Promise.all(tokens.map((token) => redeemInvitation(database.db, token, redemption())));
		expect(results.filter((result) => result.ok)).toHaveLength(1);
		const statuses = await Promise.all(tokens.map((token) => lookUpInvitation(database.db, token)));
		expect(statuses.map((status) => status.status).sort()).toEqual(['revoked', 'used']);
	});

	it('records that someone using a link set the password, naming who made the link and when, never the owner', async () => {
		const worker = await makeAccount(database.db, 'professional', { displayName: 'Priya Link-Maker' });
		const newcomer = await makeAccount(database.db, 'service_user', { password: null });
		const person = await makeAccount(database.db, 'service_user');
		const first = await linkFor(newcomer.id, worker.id);
		const reset = await linkFor(person.id, worker.id);
		expect(reset.purpose).toBe('reset');
		for (const { token } of [first, reset]) expect((await redeemInvitation(database.db, token, redemption())).ok).toBe(true);

		for (const [account, link, change] of [
			[newcomer, first, 'first_password'],
			[person, reset, 'reset']
		] as const) {
			const events = await database.db
				.select()
				.from(auditEvent)
				.where(and(eq(auditEvent.targetType, 'user'), eq(auditEvent.targetId, account.id)))
				.orderBy(auditEvent.id);
			const made = events.find((event) => event.action === 'invitation.created');
			expect(made).toMatchObject({ actorId: worker.id, detail: { purpose: change } });
			const set = events.find((event) => event.action === 'account.password_set');
			expect(set).toMatchObject({
				actorId: null,
				ip: client.ip,
				detail: { via: 'link', change, linkCreatedBy: worker.id, linkCreatedByName: 'Priya Link-Maker', linkCreatedAt: link.invitation.createdAt.toISOString() }
			});
			expect(events.find((event) => event.action === 'sign_in')).toMatchObject({ actorId: null, detail: { via: 'link', linkCreatedBy: worker.id } });
		}
	});

	it('tells the owner of an account with a password about an open link, until they cancel it', async () => {
		const worker = await makeAccount(database.db, 'professional');
		const person = await makeAccount(database.db, 'service_user');
		const { token, invitation: made } = await linkFor(person.id, worker.id);
		const notices = await listLinkNotices(database.db, person.id, null);
		expect(notices.used).toEqual([]);
		expect(notices.open).toEqual([
			expect.objectContaining({
				status: 'open',
				createdAt: made.createdAt,
				expiresAt: made.expiresAt,
				createdBy: expect.objectContaining({ id: worker.id, role: 'professional' })
			})
		]);

		expect(await cancelOpenInvitations(database.db, person.id)).toBe(1);
		expect(await lookUpInvitation(database.db, token)).toEqual({ status: 'revoked', revokedReason: 'cancelled' });
		expect(await redeemInvitation(database.db, token, redemption())).toEqual({ ok: false, error: 'gone' });
		expect((await listLinkNotices(database.db, person.id, null)).open).toEqual([]);
		expect(await cancelOpenInvitations(database.db, person.id)).toBe(0);
		expect(await verifyPassword((await findAccountById(database.db, person.id))!.passwordHash!, TEST_PASSWORD)).toBe(true);
		expect((await listAccountLinks(database.db, person.id)).map((link) => link.status)).toEqual(['cancelled']);
	});

	it('does not announce a first-password link to nobody: an account without a password has no open-link notice', async () => {
		const person = await makeAccount(database.db, 'service_user', { password: null });
		await linkFor(person.id);
		expect((await listLinkNotices(database.db, person.id, null)).open).toEqual([]);
	});

	it('tells the owner that a link was used from their next sign-in on, until they have read it; it stays listed', async () => {
		const worker = await makeAccount(database.db, 'professional');
		const person = await makeAccount(database.db, 'service_user');
		const { token } = await linkFor(person.id, worker.id);
		const redeemed = await redeemInvitation(database.db, token, redemption());
		if (!redeemed.ok) throw new Error(redeemed.error);

		// Not in the session the link itself signed in…
		expect((await listLinkNotices(database.db, person.id, redeemed.value.session.id)).used).toEqual([]);
		// …but at the next sign-in.
		const next = await createSession(database.db, generateSessionToken(), person.id);
		const notices = await listLinkNotices(database.db, person.id, next.id);
		expect(notices.open).toEqual([]);
		expect(notices.used).toEqual([expect.objectContaining({ status: 'used', replacedPassword: true, createdBy: expect.objectContaining({ id: worker.id }) })]);

		expect(await dismissLinkNotices(database.db, person.id, next.id)).toBe(1);
		expect((await listLinkNotices(database.db, person.id, next.id)).used).toEqual([]);
		expect(await listAccountLinks(database.db, person.id)).toEqual([expect.objectContaining({ status: 'used', replacedPassword: true })]);
	});
});
