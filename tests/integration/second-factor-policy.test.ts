import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvitation } from '../../db/invitations.ts';
import { seal } from '../../db/secret-box.ts';
import { totpCredential, user } from '../../db/schema/index.ts';
import { testDatabaseKind } from '../helpers/database.ts';
import { TEST_SIGN_IN_ENV } from '../helpers/e2e-server-env.ts';
import { signInCookie } from '../helpers/http-session.ts';
import { upgradeAnswer } from '../helpers/raw-socket.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

// With the default policy: a password alone reaches nothing but the second step, however the session was started.

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer({ REQUIRE_MFA_FOR: 'staff' });
});
afterAll(() => server?.dispose());

/** Gives a person a confirmed authenticator app (sealed with the test servers' key), straight in the database. */
async function giveAuthenticator(username: string): Promise<string> {
	const storage = await server.openStorage();
	try {
		const [person] = await storage.db.select({ id: user.id }).from(user).where(eq(user.username, username));
		const key = Buffer.from(TEST_SIGN_IN_ENV.ENCRYPTION_KEY, 'base64');
		await storage.db.insert(totpCredential).values({ userId: person!.id, sealedKey: seal(key, new Uint8Array(20).fill(3)), confirmedAt: new Date() });
		return person!.id;
	} finally {
		await storage.close();
	}
}

/** Where a GET of the path sends this cookie: its status and Location. */
async function whereTo(cookie: string, path: string): Promise<[number, string | null]> {
	const response = await fetch(`${server.url}${path}`, { headers: { cookie }, redirect: 'manual' });
	return [response.status, response.headers.get('location')];
}

describe(`second factors, REQUIRE_MFA_FOR=staff (${testDatabaseKind})`, () => {
	it('sends staff without a factor to set one up, from every page and for every data request', async () => {
		const cookie = await signInCookie(server.url, 'priya');
		expect(await whereTo(cookie, '/')).toEqual([303, '/account/security']);
		expect(await whereTo(cookie, '/account')).toEqual([303, '/account/security?next=%2Faccount']);
		expect(await whereTo(cookie, '/admin')).toEqual([303, '/account/security?next=%2Fadmin']);
		const data = await fetch(`${server.url}/__data.json?x-sveltekit-invalidated=01`, { headers: { cookie } });
		expect(await data.text()).toContain('/account/security');
		expect((await fetch(`${server.url}/api/audit/involvement`, { headers: { cookie } })).status).toBe(401);
	});

	it('never asks a service user to set one up', async () => {
		const cookie = await signInCookie(server.url, 'sam');
		expect((await whereTo(cookie, '/'))[0]).toBe(200);
	});

	it('asks anyone who has a factor for it after the password, and opens no plan socket before', async () => {
		await giveAuthenticator('jordan');
		const cookie = await signInCookie(server.url, 'jordan');
		expect(await whereTo(cookie, '/')).toEqual([303, '/login/verify']);
		const planPath = '/plans/00000000-0000-4000-8000-000000000000';
		expect(await whereTo(cookie, planPath)).toEqual([303, `/login/verify?next=${encodeURIComponent(planPath)}`]);
		const socket = await upgradeAnswer(`${server.url.replace('http', 'ws')}/collab/00000000-0000-4000-8000-000000000000`, {
			cookie,
			origin: server.origin
		});
		expect(socket.status).toBe(401);
	});

	it('still asks for the second factor after a password reset through a sign-in link (ASVS 6.4.3)', async () => {
		const userId = await giveAuthenticator('tom');
		const storage = await server.openStorage();
		let token: string;
		try {
			({ token } = await createInvitation(storage.db, { kind: 'set_password', userId, createdBy: null }));
		} finally {
			await storage.close();
		}
		const used = await fetch(`${server.url}/invite/${token}`, {
			method: 'POST',
			redirect: 'manual',
			headers: { origin: server.origin, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ password: 'a new long password 7', confirm: 'a new long password 7' })
		});
		expect(used.status).toBe(303);
		const cookie = used.headers
			.getSetCookie()
			.find((value) => value.startsWith('session='))!
			.split(';')[0]!;
		expect(await whereTo(cookie, '/')).toEqual([303, '/login/verify']);
		expect(await whereTo(cookie, '/account')).toEqual([303, '/login/verify?next=%2Faccount']);
	});
});
