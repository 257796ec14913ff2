import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setAccountDisabled } from '../../db/accounts.ts';
import type { OpenDatabase } from '../../db/client.ts';
import { session } from '../../db/schema/index.ts';
import { createSession, generateSessionToken, invalidateSession, invalidateUserSessions, SESSION_LIFETIME_MS, validateSessionToken } from '../../db/session.ts';
import { hashToken } from '../../db/tokens.ts';
import { createTestDatabase, testDatabaseKind } from '../helpers/database.ts';
import { makeAccount } from '../helpers/factories.ts';
import { DEFAULT_SIGN_IN_RULES, sessionLimitsOf } from '../../server/config.ts';

const LIMITS = sessionLimitsOf(DEFAULT_SIGN_IN_RULES);

let database: OpenDatabase;
beforeAll(async () => {
	database = await createTestDatabase();
});
afterAll(() => database.close());

const DAY = 24 * 60 * 60 * 1000;

describe(`sessions (${testDatabaseKind})`, () => {
	it('issues tokens of at least 128 random bits and stores only their SHA-256', async () => {
		const person = await makeAccount(database.db, 'service_user');
		const token = generateSessionToken();
		expect(token.length * 5).toBeGreaterThanOrEqual(128); // base32: 5 bits a character
		expect(generateSessionToken()).not.toBe(token);
		await createSession(database.db, token, person.id);
		const rows = await database.db.select().from(session).where(eq(session.userId, person.id));
		expect(rows).toHaveLength(1);
		expect(rows[0]!.id).toBe(hashToken(token));
		expect(rows[0]!.id).not.toContain(token);
		const result = await validateSessionToken(database.db, token, LIMITS);
		expect(result.user).toMatchObject({ id: person.id, role: 'service_user' });
	});

	it('rejects unknown and expired tokens, deleting the expired session', async () => {
		const person = await makeAccount(database.db, 'professional');
		expect((await validateSessionToken(database.db, generateSessionToken(), LIMITS)).session).toBeNull();
		const token = generateSessionToken();
		const created = await createSession(database.db, token, person.id);
		await database.db
			.update(session)
			.set({ expiresAt: new Date(Date.now() - 1000) })
			.where(eq(session.id, created.id));
		expect((await validateSessionToken(database.db, token, LIMITS)).session).toBeNull();
		expect(await database.db.select().from(session).where(eq(session.id, created.id))).toHaveLength(0);
	});

	it('slides the expiry to 30 days once less than 15 days remain', async () => {
		const person = await makeAccount(database.db, 'professional');
		const token = generateSessionToken();
		const created = await createSession(database.db, token, person.id);
		const fresh = await validateSessionToken(database.db, token, LIMITS);
		expect(fresh.session!.expiresAt.getTime()).toBe(created.expiresAt.getTime());
		await database.db
			.update(session)
			.set({ expiresAt: new Date(Date.now() + 10 * DAY) })
			.where(eq(session.id, created.id));
		const renewed = await validateSessionToken(database.db, token, LIMITS);
		expect(renewed.session!.expiresAt.getTime()).toBeGreaterThan(Date.now() + SESSION_LIFETIME_MS - 60_000);
	});

	it('ends a session at sign-out, all sessions on sign-out everywhere, and sessions of a disabled account', async () => {
		const person = await makeAccount(database.db, 'service_user');
		const [a, b, c] = [generateSessionToken(), generateSessionToken(), generateSessionToken()];
		const first = await createSession(database.db, a, person.id);
		await createSession(database.db, b, person.id);
		await invalidateSession(database.db, first.id);
		expect((await validateSessionToken(database.db, a, LIMITS)).session).toBeNull();
		expect((await validateSessionToken(database.db, b, LIMITS)).session).not.toBeNull();
		await invalidateUserSessions(database.db, person.id);
		expect((await validateSessionToken(database.db, b, LIMITS)).session).toBeNull();

		await createSession(database.db, c, person.id);
		await setAccountDisabled(database.db, person.id, true);
		expect((await validateSessionToken(database.db, c, LIMITS)).user).toBeNull();
	});
});
