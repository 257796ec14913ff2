import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '../helpers/database.ts';
import { signInCookie } from '../helpers/http-session.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

// `next` as it appears in the address bar: the query string decodes it once before the app sees it.
const ANOTHER_SITE = [
	'/%09/evil.example',
	'/%0a/evil.example',
	'/%0d%0a/evil.example',
	'/%00/evil.example',
	'//evil.example',
	'%2F%2Fevil.example',
	'/%5Cevil.example',
	'%5C%5Cevil.example',
	'/%252F/evil.example',
	'/%255C/evil.example',
	'/..//evil.example',
	'/.%2E//evil.example',
	'https://evil.example',
	'https:evil.example',
	'javascript:alert(1)'
];

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer();
});
afterAll(() => server?.dispose());

/** Signs in through the real form, posted the way a browser posts it (to the page's own address), and says where it leads. */
async function signInWithNext(rawNext: string): Promise<string | null> {
	const response = await fetch(`${server.url}/login?next=${rawNext}`, {
		method: 'POST',
		redirect: 'manual',
		headers: { origin: server.origin, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ username: 'priya', password: 'chorus-demo' })
	});
	expect(response.status).toBe(303);
	expect(response.headers.getSetCookie().some((cookie) => cookie.startsWith('session='))).toBe(true);
	return response.headers.get('location');
}

describe(`where sign-in leads (${testDatabaseKind})`, () => {
	it.each(ANOTHER_SITE)('after signing in with next=%s, stays on this site', async (rawNext) => {
		const location = await signInWithNext(rawNext);
		expect(location).toBe('/');
		expect(new URL(location!, server.url).origin).toBe(server.origin);
	});

	it('follows next to a page of this site', async () => {
		expect(await signInWithNext(encodeURIComponent('/account?tab=sessions'))).toBe('/account?tab=sessions');
	});

	it('sends someone already signed in home, not to another site', async () => {
		const cookie = await signInCookie(server.url, 'priya');
		for (const rawNext of ANOTHER_SITE) {
			const response = await fetch(`${server.url}/login?next=${rawNext}`, { headers: { cookie }, redirect: 'manual' });
			expect([response.status, response.headers.get('location')], rawNext).toEqual([303, '/']);
		}
	});
});
