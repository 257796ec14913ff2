import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setAccountPassword } from '../../db/accounts.ts';
import type { OpenDatabase } from '../../db/client.ts';
import { createInvitation, lookUpInvitation, redeemInvitation } from '../../db/invitations.ts';
import { hashPassword } from '../../db/password.ts';
import { invitation } from '../../db/schema/index.ts';
import { createSession, generateSessionToken, validateSessionToken } from '../../db/session.ts';
import { signIn } from '../../db/sign-in.ts';
import { hashToken } from '../../db/tokens.ts';
import { createTestDatabase, testDatabaseKind } from '../helpers/database.ts';
import { makeAccount } from '../helpers/factories.ts';

let database: OpenDatabase;
beforeAll(async () => {
	database = await createTestDatabase();
});
afterAll(() => database.close());

describe(`invitations (${testDatabaseKind})`, () => {
	it('stores only the hash of the link token', async () => {
		const person = await makeAccount(database.db, 'service_user', { password: null });
		const { token } = await createInvitation(database.db, { kind: 'set_password', userId: person.id, createdBy: null });
		const rows = await database.db.select().from(invitation).where(eq(invitation.userId, person.id));
		expect(rows.map((row) => row.id)).toEqual([hashToken(token)]);
	});

	it('lets the person set a password once, then signs them in; the link cannot be used again', async () => {
		const person = await makeAccount(database.db, 'service_user', { password: null });
		const { token } = await createInvitation(database.db, { kind: 'set_password', userId: person.id, createdBy: null });
		expect(await lookUpInvitation(database.db, token)).toMatchObject({ status: 'valid', user: { id: person.id } });
		const hash = await hashPassword('my own words here');
		expect(await redeemInvitation(database.db, token, (tx) => setAccountPassword(tx, person.id, hash))).toBe(true);
		expect(await redeemInvitation(database.db, token, (tx) => setAccountPassword(tx, person.id, hash))).toBe(false);
		expect(await lookUpInvitation(database.db, token)).toEqual({ status: 'used' });
		expect((await signIn(database.db, { username: person.username, password: 'my own words here', ip: null })).ok).toBe(true);
	});

	it('lets exactly one of two simultaneous submissions win', async () => {
		const person = await makeAccount(database.db, 'service_user', { password: null });
		const { token } = await createInvitation(database.db, { kind: 'set_password', userId: person.id, createdBy: null });
		const hash = await hashPassword('another long phrase');
		const results = await Promise.all([0, 1, 2].map(() => redeemInvitation(database.db, token, (tx) => setAccountPassword(tx, person.id, hash))));
		expect(results.filter(Boolean)).toHaveLength(1);
	});

	it('refuses expired and unknown links', async () => {
		const person = await makeAccount(database.db, 'service_user', { password: null });
		const { token } = await createInvitation(database.db, { kind: 'set_password', userId: person.id, createdBy: null, lifetimeMs: -1000 });
		expect(await lookUpInvitation(database.db, token)).toEqual({ status: 'expired' });
		expect(await redeemInvitation(database.db, token, async () => {})).toBe(false);
		expect(await lookUpInvitation(database.db, generateSessionToken())).toEqual({ status: 'unknown' });
	});

	it('signs the account out everywhere when a new password is set through a link', async () => {
		const person = await makeAccount(database.db, 'service_user');
		const sessionToken = generateSessionToken();
		await createSession(database.db, sessionToken, person.id);
		const { token } = await createInvitation(database.db, { kind: 'set_password', userId: person.id, createdBy: null });
		const hash = await hashPassword('a brand new phrase');
		await redeemInvitation(database.db, token, (tx) => setAccountPassword(tx, person.id, hash));
		expect((await validateSessionToken(database.db, sessionToken)).session).toBeNull();
	});

	it('rolls the redemption back when the work inside it fails, so the link still works', async () => {
		const person = await makeAccount(database.db, 'service_user', { password: null });
		const { token } = await createInvitation(database.db, { kind: 'set_password', userId: person.id, createdBy: null });
		await expect(redeemInvitation(database.db, token, async () => { throw new Error('boom'); })).rejects.toThrow('boom');
		expect((await lookUpInvitation(database.db, token)).status).toBe('valid');
	});
});
