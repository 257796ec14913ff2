import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenDatabase } from '../../db/client.ts';
import { setAccountDisabled } from '../../db/accounts.ts';
import { auditEvent, signInAttempt, user } from '../../db/schema/index.ts';
import { ACCOUNT_FAILURE_LIMIT, ADDRESS_FAILURE_LIMIT, signIn, THROTTLE_WINDOW_MS } from '../../db/sign-in.ts';
import { createTestDatabase, testDatabaseKind } from '../helpers/database.ts';
import { makeAccount, TEST_PASSWORD } from '../helpers/factories.ts';

let database: OpenDatabase;
beforeAll(async () => {
	database = await createTestDatabase();
});
afterAll(() => database.close());

let address = 0;
/** A distinct client address per test, so per-address counts do not leak between tests. */
const nextIp = () => `198.51.100.${++address}`;

describe(`sign-in (${testDatabaseKind})`, () => {
	it('hashes passwords with argon2id at m=19 MiB, t=2, p=1', async () => {
		const person = await makeAccount(database.db, 'service_user');
		const [row] = await database.db.select({ hash: user.passwordHash }).from(user).where(eq(user.id, person.id));
		expect(row!.hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
	});

	it('signs in with the right password and records it; refuses a wrong one and records that', async () => {
		const person = await makeAccount(database.db, 'professional');
		const ip = nextIp();
		expect(await signIn(database.db, { username: person.username, password: 'not the password', ip })).toEqual({ ok: false, reason: 'invalid' });
		const result = await signIn(database.db, { username: person.username, password: TEST_PASSWORD, ip });
		expect(result).toMatchObject({ ok: true, user: { id: person.id, role: 'professional', discipline: 'nurse' } });
		const events = await database.db.select().from(auditEvent).where(eq(auditEvent.ip, ip));
		expect(events.map((event) => event.action).sort()).toEqual(['sign_in', 'sign_in.failed']);
	});

	it('refuses unknown usernames, accounts without a password and disabled accounts alike', async () => {
		const ip = nextIp();
		const invited = await makeAccount(database.db, 'service_user', { password: null });
		const disabled = await makeAccount(database.db, 'service_user');
		await setAccountDisabled(database.db, disabled.id, true);
		for (const username of ['nobody-here', invited.username, disabled.username]) {
			expect(await signIn(database.db, { username, password: TEST_PASSWORD, ip })).toEqual({ ok: false, reason: 'invalid' });
		}
	});

	it(`pauses an account after ${ACCOUNT_FAILURE_LIMIT} failures, even for the right password, and says for how long`, async () => {
		const person = await makeAccount(database.db, 'service_user');
		for (let attempt = 0; attempt < ACCOUNT_FAILURE_LIMIT; attempt++) {
			const result = await signIn(database.db, { username: person.username, password: `guess ${attempt}`, ip: nextIp() });
			expect(result).toEqual({ ok: false, reason: 'invalid' });
		}
		const blocked = await signIn(database.db, { username: person.username, password: TEST_PASSWORD, ip: nextIp() });
		expect(blocked).toMatchObject({ ok: false, reason: 'throttled', scope: 'account' });
		if (blocked.ok || blocked.reason !== 'throttled') throw new Error('expected throttling');
		expect(blocked.retryAfterSeconds).toBeGreaterThan(14 * 60);
		expect(blocked.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
		// Someone else's account is unaffected.
		const other = await makeAccount(database.db, 'service_user');
		expect((await signIn(database.db, { username: other.username, password: TEST_PASSWORD, ip: nextIp() })).ok).toBe(true);
	});

	it('counts an account’s failures only since its last successful sign-in', async () => {
		const person = await makeAccount(database.db, 'service_user');
		for (let attempt = 0; attempt < ACCOUNT_FAILURE_LIMIT - 1; attempt++) {
			await signIn(database.db, { username: person.username, password: 'wrong', ip: nextIp() });
		}
		expect((await signIn(database.db, { username: person.username, password: TEST_PASSWORD, ip: nextIp() })).ok).toBe(true);
		await signIn(database.db, { username: person.username, password: 'wrong', ip: nextIp() });
		expect((await signIn(database.db, { username: person.username, password: TEST_PASSWORD, ip: nextIp() })).ok).toBe(true);
	});

	it(`pauses a client address after ${ADDRESS_FAILURE_LIMIT} failures across accounts`, async () => {
		const ip = nextIp();
		for (let attempt = 0; attempt < ADDRESS_FAILURE_LIMIT; attempt++) {
			await signIn(database.db, { username: `nobody-${attempt}`, password: 'guess', ip });
		}
		const person = await makeAccount(database.db, 'service_user');
		expect(await signIn(database.db, { username: person.username, password: TEST_PASSWORD, ip })).toMatchObject({
			ok: false,
			reason: 'throttled',
			scope: 'address'
		});
		expect((await signIn(database.db, { username: person.username, password: TEST_PASSWORD, ip: nextIp() })).ok).toBe(true);
	});

	it(`checks at most ${ACCOUNT_FAILURE_LIMIT} passwords of 30 wrong ones sent at once, and pauses the account for the window`, async () => {
		const person = await makeAccount(database.db, 'service_user');
		const results = await Promise.all(
			Array.from({ length: 30 }, (_, attempt) => signIn(database.db, { username: person.username, password: `parallel guess ${attempt}`, ip: nextIp() }))
		);
		// Every checked password leaves a sign_in.failed event; a throttled attempt checks none.
		const failed = await database.db
			.select({ id: auditEvent.id })
			.from(auditEvent)
			.where(and(eq(auditEvent.action, 'sign_in.failed'), eq(auditEvent.targetId, person.id)));
		expect(failed.length).toBeLessThanOrEqual(ACCOUNT_FAILURE_LIMIT);
		expect(results.filter((result) => !result.ok && result.reason === 'invalid')).toHaveLength(failed.length);
		expect(results.filter((result) => !result.ok && result.reason === 'throttled')).toHaveLength(30 - failed.length);

		// While paused, even the right password is refused…
		expect(await signIn(database.db, { username: person.username, password: TEST_PASSWORD, ip: nextIp() })).toMatchObject({
			ok: false,
			reason: 'throttled',
			scope: 'account'
		});
		// …and once the window has passed, it works.
		await database.db
			.update(signInAttempt)
			.set({ at: sql`${signInAttempt.at} - ${`${THROTTLE_WINDOW_MS + 1000} milliseconds`}::interval` })
			.where(eq(signInAttempt.userId, person.id));
		expect((await signIn(database.db, { username: person.username, password: TEST_PASSWORD, ip: nextIp() })).ok).toBe(true);
	});
});
