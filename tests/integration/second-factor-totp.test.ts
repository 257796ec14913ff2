import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recoveryCode, session, totpCredential, user } from '../../db/schema/index.ts';
import { hashToken } from '../../db/tokens.ts';
import { authenticatorCode, timeStep } from '../../server/second-factor-codes.ts';
import { auditEventsOf } from '../helpers/audit-events.ts';
import { testDatabaseKind } from '../helpers/database.ts';
import { signInCookie } from '../helpers/http-session.ts';
import { readPageData, submitAction } from '../helpers/sveltekit-requests.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

// Authenticator apps and recovery codes, through the real pages of the built server, as staff must use them.

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer({ REQUIRE_MFA_FOR: 'staff' });
});
afterAll(() => server?.dispose());

async function withStorage<T>(work: (db: Awaited<ReturnType<TestServer['openStorage']>>['db']) => Promise<T>): Promise<T> {
	const storage = await server.openStorage();
	try {
		return await work(storage.db);
	} finally {
		await storage.close();
	}
}

const idOf = (username: string) => withStorage(async (db) => (await db.select({ id: user.id }).from(user).where(eq(user.username, username)))[0]!.id);

async function whereTo(cookie: string, path: string): Promise<[number, string | null]> {
	const response = await fetch(`${server.url}${path}`, { headers: { cookie }, redirect: 'manual' });
	return [response.status, response.headers.get('location')];
}

const act = (cookie: string, path: string, fields: Record<string, string>) => submitAction(server.url, server.origin, cookie, path, fields);

/** Sets up an authenticator app for a person signed in with a password: the key as the app would read it, and the recovery codes. */
async function enrolAuthenticator(cookie: string): Promise<{ key: Uint8Array; recoveryCodes: string[]; step: number }> {
	const page = await readPageData(server.url, cookie, '/account/security/authenticator');
	expect(page.status).toBe(200);
	const key = decodeBase32IgnorePadding(String(page.data!.key).replaceAll(' ', ''));
	const step = timeStep();
	const answer = await act(cookie, '/account/security/authenticator', { code: authenticatorCode(key, step) });
	expect(answer, answer.body).toMatchObject({ type: 'success', data: { confirmed: true } });
	return { key, recoveryCodes: answer.data!.recoveryCodes as string[], step };
}

/**
 * A code the person's app shows now, usable as if the next 30 seconds had begun: tests that are not about codes
 * being used once use several within seconds, and an app shows only one new code per step.
 */
async function freshCode(username: string, key: Uint8Array): Promise<string> {
	const id = await idOf(username);
	await withStorage((db) => db.update(totpCredential).set({ lastUsedStep: null }).where(eq(totpCredential.userId, id)));
	return authenticatorCode(key, timeStep());
}

/** Makes a session count as last confirmed 16 minutes ago. */
const ageConfirmation = (cookie: string) =>
	withStorage((db) =>
		db
			.update(session)
			.set({ confirmedAt: new Date(Date.now() - 16 * 60_000) })
			.where(eq(session.id, hashToken(cookie.replace('session=', ''))))
	);

describe(`authenticator apps and recovery codes (${testDatabaseKind})`, () => {
	let key: Uint8Array;
	let recoveryCodes: string[];
	let lastStep: number;

	it('lets staff set up an app, with ten recovery codes, and then reach Chorus', async () => {
		const cookie = await signInCookie(server.url, 'priya');
		expect(await whereTo(cookie, '/')).toEqual([303, '/account/security']);
		const before = await readPageData(server.url, cookie, '/account/security');
		expect(before.data).toMatchObject({ enrolling: true, factors: [], required: true, authenticatorAvailable: true });

		({ key, recoveryCodes, step: lastStep } = await enrolAuthenticator(cookie));
		expect(recoveryCodes).toHaveLength(10);
		expect(new Set(recoveryCodes).size).toBe(10);
		expect((await whereTo(cookie, '/'))[0]).toBe(200);

		const priya = await idOf('priya');
		await withStorage(async (db) => {
			const [app] = await db.select().from(totpCredential).where(eq(totpCredential.userId, priya));
			// The key is stored sealed, never as it is.
			expect(Buffer.from(app!.sealedKey).includes(Buffer.from(key))).toBe(false);
			expect(app!.confirmedAt).not.toBeNull();
			const codes = await db.select().from(recoveryCode).where(eq(recoveryCode.userId, priya));
			expect(codes.map((row) => row.codeHash).sort()).toEqual(recoveryCodes.map(hashToken).sort());
			expect(await auditEventsOf(db, 'second_factor.enrolled', priya)).toHaveLength(1);
			expect(await auditEventsOf(db, 'second_factor.recovery_codes_made', priya)).toHaveLength(1);
		});
		const after = await readPageData(server.url, cookie, '/account/security');
		expect(after.data).toMatchObject({ enrolling: false, factors: [expect.objectContaining({ kind: 'authenticator' })], recoveryCodesLeft: 10 });
	});

	it('asks for a code at the next sign-in, accepts each code once, and refuses a wrong one', async () => {
		const cookie = await signInCookie(server.url, 'priya');
		expect(await whereTo(cookie, '/plans')).toEqual([303, '/login/verify?next=%2Fplans']);
		const wrong = await act(cookie, '/login/verify', { code: authenticatorCode(key, lastStep + 5) });
		expect(wrong).toMatchObject({ type: 'failure', status: 400, data: { code: 'code-wrong' } });
		// The code used to set the app up does not work again.
		const replayed = await act(cookie, '/login/verify', { code: authenticatorCode(key, lastStep) });
		expect(replayed).toMatchObject({ type: 'failure', data: { code: 'code-wrong' } });

		lastStep = timeStep() + 1;
		const right = await act(cookie, '/login/verify?next=%2Faccount', { code: authenticatorCode(key, lastStep) });
		expect(right).toMatchObject({ type: 'redirect', location: '/account' });
		expect((await whereTo(cookie, '/account'))[0]).toBe(200);

		// The same code in another session, a moment later: refused.
		const other = await signInCookie(server.url, 'priya');
		expect(await act(other, '/login/verify', { code: authenticatorCode(key, lastStep) })).toMatchObject({ type: 'failure', data: { code: 'code-wrong' } });
		const priya = await idOf('priya');
		await withStorage(async (db) => expect((await auditEventsOf(db, 'second_factor.failed', priya)).length).toBeGreaterThanOrEqual(3));
	});

	it('lets each recovery code in once, and says how many are left', async () => {
		const cookie = await signInCookie(server.url, 'priya');
		const used = await act(cookie, '/login/verify', { code: recoveryCodes[0]!.toUpperCase() });
		expect(used).toMatchObject({ type: 'redirect', location: '/account/security?recovered=9' });
		expect((await readPageData(server.url, cookie, '/account/security?recovered=9')).data).toMatchObject({ recoveredLeft: 9, recoveryCodesLeft: 9 });

		const again = await signInCookie(server.url, 'priya');
		expect(await act(again, '/login/verify', { code: recoveryCodes[0]! })).toMatchObject({ type: 'failure', data: { code: 'code-wrong' } });
		expect(await act(again, '/login/verify', { code: recoveryCodes[1]! })).toMatchObject({ type: 'redirect' });
		const priya = await idOf('priya');
		await withStorage(async (db) => expect(await auditEventsOf(db, 'second_factor.recovery_used', priya)).toHaveLength(2));
	});

	it('pauses codes after five wrong ones, even the right one, and records it', async () => {
		const cookie = await signInCookie(server.url, 'alex');
		const enrolled = await enrolAuthenticator(cookie);
		const next = await signInCookie(server.url, 'alex');
		for (let attempt = 0; attempt < 5; attempt++) {
			expect(await act(next, '/login/verify', { code: '000000' })).toMatchObject({ type: 'failure', data: { code: 'code-wrong' } });
		}
		const paused = await act(next, '/login/verify', { code: authenticatorCode(enrolled.key, timeStep() + 1) });
		expect(paused).toMatchObject({ type: 'failure', status: 429, data: { code: 'code-throttled' } });
		expect(String(paused.data!.message)).toMatch(/wait 15 minutes/);
		// Recovery codes are paused too: they are guessed the same way.
		expect(await act(next, '/login/verify', { code: enrolled.recoveryCodes[0]! })).toMatchObject({ status: 429 });
		expect((await whereTo(next, '/'))[1]).toBe('/login/verify');
		const alex = await idOf('alex');
		await withStorage(async (db) => expect((await auditEventsOf(db, 'second_factor.throttled', alex)).length).toBe(2));
	});

	it('asks again before a change to the factors once the last confirmation is 15 minutes old', async () => {
		const cookie = await signInCookie(server.url, 'priya');
		expect(await act(cookie, '/login/verify', { code: await freshCode('priya', key) })).toMatchObject({ type: 'redirect' });
		await ageConfirmation(cookie);
		const next = encodeURIComponent('/account/security/authenticator');
		expect(await whereTo(cookie, '/account/security/authenticator')).toEqual([303, `/login/confirm?next=${next}`]);
		const removal = await act(cookie, '/account/security?/remove', { kind: 'authenticator', id: '00000000-0000-4000-8000-000000000000' });
		expect(removal).toMatchObject({ type: 'redirect', location: `/login/confirm?next=${encodeURIComponent('/account/security')}` });
		const password = await act(cookie, '/account?/password', { current: 'chorus-demo', password: 'a new passphrase here', confirm: 'a new passphrase here' });
		expect(password).toMatchObject({ type: 'redirect', location: `/login/confirm?next=${encodeURIComponent('/account')}` });

		// A password does not stand in for the second factor of someone who has one.
		expect(await act(cookie, `/login/confirm?/password&next=${next}`, { password: 'chorus-demo' })).toMatchObject({ type: 'failure' });
		const confirmed = await act(cookie, `/login/confirm?/code&next=${next}`, { code: await freshCode('priya', key) });
		expect(confirmed).toMatchObject({ type: 'redirect', location: '/account/security/authenticator' });
		expect((await whereTo(cookie, '/account/security/authenticator'))[0]).toBe(200);
	});

	it('never lets staff remove their last factor; a service user may turn theirs off again', async () => {
		const cookie = await signInCookie(server.url, 'priya');
		expect(await act(cookie, '/login/verify', { code: await freshCode('priya', key) })).toMatchObject({ type: 'redirect' });
		const [factor] = (await readPageData(server.url, cookie, '/account/security')).data!.factors as { kind: string; id: string }[];
		expect(await act(cookie, '/account/security?/remove', { kind: factor!.kind, id: factor!.id })).toMatchObject({
			type: 'failure',
			data: { code: 'factor-last-one' }
		});

		const sam = await signInCookie(server.url, 'sam');
		expect((await readPageData(server.url, sam, '/account/security')).data).toMatchObject({ required: false, enrolling: false });
		await enrolAuthenticator(sam);
		const [own] = (await readPageData(server.url, sam, '/account/security')).data!.factors as { kind: string; id: string }[];
		// Priya's factor is not Sam's to remove.
		expect(await act(sam, '/account/security?/remove', { kind: factor!.kind, id: factor!.id })).toMatchObject({ data: { code: 'factor-not-found' } });
		expect(await act(sam, '/account/security?/remove', { kind: own!.kind, id: own!.id })).toMatchObject({ type: 'success', data: { code: 'factor-removed' } });
		const samId = await idOf('sam');
		await withStorage(async (db) => {
			expect(await db.select().from(recoveryCode).where(eq(recoveryCode.userId, samId))).toEqual([]);
			expect(await auditEventsOf(db, 'second_factor.removed', samId)).toHaveLength(1);
		});
		expect((await whereTo(await signInCookie(server.url, 'sam'), '/'))[0]).toBe(200);
	});

	it('confirms a person without a factor with their password', async () => {
		const cookie = await signInCookie(server.url, 'jordan');
		await ageConfirmation(cookie);
		expect(await act(cookie, '/login/confirm?/password&next=%2Faccount', { password: 'wrong' })).toMatchObject({ data: { code: 'current-password-wrong' } });
		expect(await act(cookie, '/login/confirm?/password&next=%2Faccount', { password: 'chorus-demo' })).toMatchObject({
			type: 'redirect',
			location: '/account'
		});
		const confirmedAt = await withStorage(
			async (db) =>
				(
					await db
						.select({ at: session.confirmedAt })
						.from(session)
						.where(eq(session.id, hashToken(cookie.replace('session=', ''))))
				)[0]!.at
		);
		expect(Date.now() - confirmedAt.getTime()).toBeLessThan(60_000);
	});

	it('keeps the second factor of the session when the password is changed there', async () => {
		const cookie = await signInCookie(server.url, 'priya');
		expect(await act(cookie, '/login/verify', { code: await freshCode('priya', key) })).toMatchObject({ type: 'redirect' });
		const response = await fetch(`${server.url}/account?/password`, {
			method: 'POST',
			headers: { cookie, origin: server.origin, accept: 'application/json', 'x-sveltekit-action': 'true', 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ current: 'chorus-demo', password: 'a calm new passphrase', confirm: 'a calm new passphrase' })
		});
		expect(await response.json()).toMatchObject({ type: 'success' });
		const fresh = response.headers
			.getSetCookie()
			.find((value) => value.startsWith('session='))!
			.split(';')[0]!;
		expect(fresh).not.toBe(cookie);
		expect((await whereTo(fresh, '/'))[0]).toBe(200);
		// A new sign-in with the new password still needs the second step.
		const next = await signInCookie(server.url, 'priya', 'a calm new passphrase');
		expect(await whereTo(next, '/')).toEqual([303, '/login/verify']);
	});
});
