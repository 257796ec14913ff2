import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPEN_SIGN_IN_CHALLENGES_PER_ADDRESS } from '../../db/passkeys.ts';
import { SECOND_FACTOR_FAILURE_LIMIT } from '../../db/second-factors.ts';
import { auditEvent, passkeyCredential, user } from '../../db/schema/index.ts';
import { testDatabaseKind } from '../helpers/database.ts';
import { signInCookie } from '../helpers/http-session.ts';
import { SoftAuthenticator, type CeremonyKnobs } from '../helpers/soft-authenticator.ts';
import { submitAction, type ActionOutcome } from '../helpers/sveltekit-requests.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

// Passkeys against the real built server, answered by a software authenticator: made while setting up the first
// factor, used as the second step, to confirm, and to sign in alone; and every answer a passkey must not get away with.

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer({ REQUIRE_MFA_FOR: 'staff' });
});
afterAll(() => server?.dispose());

const act = (cookie: string, path: string, fields: Record<string, string> = {}) => submitAction(server.url, server.origin, cookie, path, fields);

/** The options a passkey route's `?/options` answered. */
async function optionsFrom(cookie: string, base: string) {
	const answer = await act(cookie, `${base}?/options`);
	expect(answer.type, answer.body).toBe('success');
	return (answer.data as { options: never }).options;
}

/** Where a GET of the path sends this cookie. */
async function whereTo(cookie: string, path = '/'): Promise<[number, string | null]> {
	const response = await fetch(`${server.url}${path}`, { headers: { cookie }, redirect: 'manual' });
	return [response.status, response.headers.get('location')];
}

async function withDatabase<T>(work: (db: Awaited<ReturnType<TestServer['openStorage']>>['db']) => Promise<T>): Promise<T> {
	const storage = await server.openStorage();
	try {
		return await work(storage.db);
	} finally {
		await storage.close();
	}
}

const idOf = (username: string) => withDatabase(async (db) => (await db.select({ id: user.id }).from(user).where(eq(user.username, username)))[0]!.id);

/** The audit details of one action about a person, oldest first. */
const auditDetails = (action: string, userId: string) =>
	withDatabase(async (db) =>
		(
			await db
				.select({ detail: auditEvent.detail })
				.from(auditEvent)
				.where(and(eq(auditEvent.action, action), eq(auditEvent.targetId, userId)))
				.orderBy(auditEvent.id)
		).map((row) => row.detail)
	);

/** A staff member signs in with their password and, having no factor, adds a passkey: that was their second step. */
async function enrolWithPasskey(username: string): Promise<{ authenticator: SoftAuthenticator; credentialId: string }> {
	const authenticator = new SoftAuthenticator(server.origin);
	const cookie = await signInCookie(server.url, username);
	expect(await whereTo(cookie)).toEqual([303, '/account/security']);
	const made = authenticator.create(await optionsFrom(cookie, '/account/security/passkey'));
	const registered = await act(cookie, '/account/security/passkey?/register', { name: 'My phone', ...made });
	// The first factor: ten recovery codes, shown once, and the session goes on.
	expect(registered, registered.body).toMatchObject({ type: 'success', data: { saved: true, code: 'passkey-added', enrolling: true } });
	expect(registered.data?.recoveryCodes).toHaveLength(10);
	expect((await whereTo(cookie))[0]).toBe(200);
	return { authenticator, credentialId: made.credentialId };
}

/** A password sign-in of someone with a factor: the session that waits for the second step. */
async function pendingSecondStep(username: string): Promise<string> {
	const cookie = await signInCookie(server.url, username);
	expect(await whereTo(cookie)).toEqual([303, '/login/verify']);
	return cookie;
}

/** Uses a passkey as the second step, with whatever the authenticator is told to get wrong. */
async function verifyWith(authenticator: SoftAuthenticator, cookie: string, knobs: CeremonyKnobs & { credentialId?: string; signCount?: number } = {}) {
	const answer = authenticator.get(await optionsFrom(cookie, '/login/verify/passkey'), knobs);
	return act(cookie, '/login/verify/passkey?/verify', answer);
}

const refusedWith = (answer: ActionOutcome, code: string, status = 400) =>
	expect(answer, answer.body).toMatchObject({ type: 'failure', status, data: { code, message: expect.any(String) } });

describe(`passkeys (${testDatabaseKind})`, () => {
	let priya: { authenticator: SoftAuthenticator; credentialId: string };
	let priyaId: string;
	let tom: { authenticator: SoftAuthenticator; credentialId: string };

	it('sets up a passkey as the first factor of someone who must have one, and lets them on', async () => {
		priyaId = await idOf('priya');
		priya = await enrolWithPasskey('priya');
		const [stored] = await withDatabase((db) => db.select().from(passkeyCredential).where(eq(passkeyCredential.userId, priyaId)));
		expect(stored).toMatchObject({ name: 'My phone', algorithm: -7, signCount: 1 });
		expect(Buffer.from(stored!.credentialId).toString('base64url')).toBe(priya.credentialId);
		expect(await auditDetails('second_factor.enrolled', priyaId)).toEqual([{ kind: 'passkey', passkeyId: stored!.id }]);
	});

	it('asks the browser for a verified passkey of this site, not one the person already has', async () => {
		const cookie = await signInCookie(server.url, 'priya');
		const options = await optionsFrom(cookie, '/login/verify/passkey');
		expect(options).toMatchObject({ rpId: '127.0.0.1', userVerification: 'required', allowCredentials: [{ type: 'public-key', id: priya.credentialId }] });
		await verifyWith(priya.authenticator, cookie);
		const creation = await optionsFrom(cookie, '/account/security/passkey');
		expect(creation).toMatchObject({
			rp: { id: '127.0.0.1', name: 'Chorus' },
			user: { id: Buffer.from(priyaId.replace(/-/g, ''), 'hex').toString('base64url'), name: 'priya' },
			pubKeyCredParams: [
				{ type: 'public-key', alg: -7 },
				{ type: 'public-key', alg: -257 }
			],
			authenticatorSelection: { userVerification: 'required', residentKey: 'preferred' },
			excludeCredentials: [{ type: 'public-key', id: priya.credentialId }]
		});
	});

	it('counts a passkey someone adds of their own accord as used: their session goes on', async () => {
		const cookie = await signInCookie(server.url, 'sam');
		const made = new SoftAuthenticator(server.origin).create(await optionsFrom(cookie, '/account/security/passkey'));
		const registered = await act(cookie, '/account/security/passkey?/register', { name: '  Sam’s   phone ', ...made });
		expect(registered, registered.body).toMatchObject({
			type: 'success',
			data: { saved: true, code: 'passkey-added', enrolling: false, message: expect.stringContaining('“Sam’s phone”') }
		});
		expect(registered.data?.recoveryCodes, 'a first factor’s recovery codes').toHaveLength(10);
		expect((await whereTo(cookie))[0]).toBe(200);
		refusedWith(await act(cookie, '/account/security/passkey?/register', { name: 'x'.repeat(61), ...made }), 'passkey-name-too-long');
		refusedWith(await act(cookie, '/account/security/passkey?/register', { name: ' ', ...made }), 'passkey-name-missing');
	});

	it('takes a passkey as the second step after the password', async () => {
		const cookie = await pendingSecondStep('priya');
		const answer = await verifyWith(priya.authenticator, cookie);
		expect(answer).toMatchObject({ type: 'redirect', location: '/' });
		expect((await whereTo(cookie))[0]).toBe(200);
		expect(await auditDetails('second_factor.verified', priyaId)).toContainEqual(expect.objectContaining({ kind: 'passkey' }));
	});

	it('signs in with a passkey alone, as two factors, and goes on to a safe next', async () => {
		const options = await optionsFrom('', '/login/passkey');
		expect(options).toMatchObject({ rpId: '127.0.0.1', userVerification: 'required', allowCredentials: [] });
		const answer = await act('', `/login/passkey?/signIn&next=${encodeURIComponent('/account')}`, priya.authenticator.get(options));
		expect(answer, answer.body).toMatchObject({ type: 'redirect', location: '/account' });
		const cookie = answer.cookies.find((value) => value.startsWith('session='))!;
		expect((await whereTo(cookie, '/account'))[0]).toBe(200);
		const signIns = await withDatabase((db) =>
			db
				.select({ detail: auditEvent.detail, actorId: auditEvent.actorId })
				.from(auditEvent)
				.where(and(eq(auditEvent.action, 'sign_in'), eq(auditEvent.targetId, priyaId)))
		);
		expect(signIns).toContainEqual({ detail: { via: 'passkey' }, actorId: priyaId });

		const elsewhere = await act('', '/login/passkey?/signIn&next=//evil.example', priya.authenticator.get(await optionsFrom('', '/login/passkey')));
		expect(elsewhere).toMatchObject({ type: 'redirect', location: '/' });
	});

	it('refuses a challenge answered twice', async () => {
		const cookie = await pendingSecondStep('priya');
		const answer = priya.authenticator.get(await optionsFrom(cookie, '/login/verify/passkey'));
		expect(await act(cookie, '/login/verify/passkey?/verify', answer)).toMatchObject({ type: 'redirect' });
		const again = await pendingSecondStep('priya');
		refusedWith(await act(again, '/login/verify/passkey?/verify', answer), 'passkey-challenge-unknown');
		const signIn = priya.authenticator.get(await optionsFrom('', '/login/passkey'));
		expect(await act('', '/login/passkey?/signIn', signIn)).toMatchObject({ type: 'redirect' });
		refusedWith(await act('', '/login/passkey?/signIn', signIn), 'passkey-challenge-unknown');
		// A challenge made for one purpose does not answer another.
		const forVerify = priya.authenticator.get(await optionsFrom(again, '/login/verify/passkey'));
		refusedWith(await act('', '/login/passkey?/signIn', forVerify), 'passkey-challenge-unknown');
		expect(await verifyWith(priya.authenticator, again)).toMatchObject({ type: 'redirect' });
	});

	it('refuses an answer signed for another origin or another site, or for the wrong ceremony', async () => {
		const cookie = await pendingSecondStep('priya');
		refusedWith(await verifyWith(priya.authenticator, cookie, { origin: 'http://evil.example' }), 'passkey-refused');
		refusedWith(await verifyWith(priya.authenticator, cookie, { rpId: 'evil.example' }), 'passkey-refused');
		refusedWith(await verifyWith(priya.authenticator, cookie, { type: 'webauthn.create' }), 'passkey-refused');
		const reasons = (await auditDetails('second_factor.failed', priyaId)).map((detail) => (detail as { reason: string }).reason);
		expect(reasons.slice(-3)).toEqual(['passkey-wrong-origin', 'passkey-wrong-site', 'passkey-wrong-ceremony']);
		expect(await verifyWith(priya.authenticator, cookie)).toMatchObject({ type: 'redirect' });
	});

	it('refuses a passkey used or made without the person verified', async () => {
		const cookie = await pendingSecondStep('priya');
		refusedWith(await verifyWith(priya.authenticator, cookie, { userVerified: false }), 'passkey-refused');
		refusedWith(await verifyWith(priya.authenticator, cookie, { userPresent: false }), 'passkey-refused');
		const signIn = await act('', '/login/passkey?/signIn', priya.authenticator.get(await optionsFrom('', '/login/passkey'), { userVerified: false }));
		refusedWith(signIn, 'passkey-refused');
		const reasons = (await auditDetails('second_factor.failed', priyaId)).map((detail) => (detail as { reason: string }).reason);
		expect(reasons.slice(-2)).toEqual(['passkey-not-verified', 'passkey-not-verified']);
		expect((await auditDetails('sign_in.failed', priyaId)).at(-1)).toEqual({ via: 'passkey', reason: 'passkey-not-verified' });
		expect(await verifyWith(priya.authenticator, cookie)).toMatchObject({ type: 'redirect' });

		const made = new SoftAuthenticator(server.origin).create(await optionsFrom(cookie, '/account/security/passkey'), { userVerified: false });
		refusedWith(await act(cookie, '/account/security/passkey?/register', { name: 'Unverified', ...made }), 'passkey-refused');
		const wrongOrigin = new SoftAuthenticator('http://evil.example').create(await optionsFrom(cookie, '/account/security/passkey'));
		refusedWith(await act(cookie, '/account/security/passkey?/register', { name: 'Elsewhere', ...wrongOrigin }), 'passkey-refused');
		expect(await withDatabase((db) => db.select().from(passkeyCredential).where(eq(passkeyCredential.userId, priyaId)))).toHaveLength(1);
	});

	it('refuses a signature counter that does not go up: a copied passkey', async () => {
		const cookie = await pendingSecondStep('priya');
		const [before] = await withDatabase((db) => db.select().from(passkeyCredential).where(eq(passkeyCredential.userId, priyaId)));
		refusedWith(await verifyWith(priya.authenticator, cookie, { signCount: before!.signCount }), 'passkey-refused');
		refusedWith(await verifyWith(priya.authenticator, cookie, { signCount: 1 }), 'passkey-refused');
		expect((await auditDetails('second_factor.failed', priyaId)).at(-1)).toMatchObject({ kind: 'passkey', reason: 'passkey-cloned' });
		expect(await verifyWith(priya.authenticator, cookie, { signCount: before!.signCount + 10 })).toMatchObject({ type: 'redirect' });
	});

	it('refuses someone else’s passkey as a second step or a confirmation', async () => {
		tom = await enrolWithPasskey('tom');
		const cookie = await pendingSecondStep('tom');
		refusedWith(await verifyWith(priya.authenticator, cookie, { credentialId: priya.credentialId }), 'passkey-not-recognised');
		expect(await whereTo(cookie)).toEqual([303, '/login/verify']);
		expect(await verifyWith(tom.authenticator, cookie)).toMatchObject({ type: 'redirect' });

		const options = await optionsFrom(cookie, '/login/confirm/passkey');
		refusedWith(
			await act(cookie, '/login/confirm/passkey?/confirm', priya.authenticator.get(options, { credentialId: priya.credentialId })),
			'passkey-not-recognised'
		);
		const confirmed = await act(
			cookie,
			`/login/confirm/passkey?/confirm&next=${encodeURIComponent('/account')}`,
			tom.authenticator.get(await optionsFrom(cookie, '/login/confirm/passkey'))
		);
		expect(confirmed).toMatchObject({ type: 'redirect', location: '/account' });
		expect(await auditDetails('session.confirmed', await idOf('tom'))).toContainEqual(expect.objectContaining({ kind: 'passkey' }));
	});

	it('pauses second-factor checks after repeated failures, and refuses a disabled account’s passkey', async () => {
		const alex = await enrolWithPasskey('alex');
		const cookie = await pendingSecondStep('alex');
		for (let attempt = 0; attempt < SECOND_FACTOR_FAILURE_LIMIT; attempt++) {
			refusedWith(await verifyWith(alex.authenticator, cookie, { origin: 'http://evil.example' }), 'passkey-refused');
		}
		refusedWith(await verifyWith(alex.authenticator, cookie), 'passkey-throttled', 429);
		refusedWith(await act('', '/login/passkey?/signIn', alex.authenticator.get(await optionsFrom('', '/login/passkey'))), 'passkey-throttled', 429);
		expect(await auditDetails('second_factor.throttled', await idOf('alex'))).toHaveLength(1);

		await withDatabase((db) => db.update(user).set({ disabledAt: new Date() }).where(eq(user.username, 'tom')));
		try {
			const answer = tom.authenticator.get(await optionsFrom('', '/login/passkey'));
			refusedWith(await act('', '/login/passkey?/signIn', answer), 'passkey-not-recognised');
			expect((await auditDetails('sign_in.failed', await idOf('tom'))).at(-1)).toEqual({ via: 'passkey', reason: 'account disabled' });
		} finally {
			await withDatabase((db) => db.update(user).set({ disabledAt: null }).where(eq(user.username, 'tom')));
		}
	});

	it('refuses a passkey it does not know, and bounds the open sign-in requests of one address', async () => {
		const stranger = new SoftAuthenticator(server.origin);
		stranger.create({ challenge: 'AA', rp: { id: '127.0.0.1' }, user: { id: 'AA' }, excludeCredentials: [] });
		refusedWith(await act('', '/login/passkey?/signIn', stranger.get(await optionsFrom('', '/login/passkey'))), 'passkey-not-recognised');
		refusedWith(await act('', '/login/passkey?/signIn', { credentialId: 'not base64 ✗' }), 'passkey-unreadable');

		await withDatabase((db) => db.execute(sql`delete from webauthn_challenge`));
		for (let request = 0; request < OPEN_SIGN_IN_CHALLENGES_PER_ADDRESS; request++) await optionsFrom('', '/login/passkey');
		refusedWith(await act('', '/login/passkey?/options'), 'passkey-busy', 429);
		await withDatabase((db) => db.execute(sql`delete from webauthn_challenge`));
	});

	it('lets pages make and use passkeys (Permissions-Policy)', async () => {
		const response = await fetch(`${server.url}/login`);
		expect(response.headers.get('permissions-policy')).toContain('publickey-credentials-get=(self)');
		expect(response.headers.get('permissions-policy')).toContain('publickey-credentials-create=(self)');
	});
});
