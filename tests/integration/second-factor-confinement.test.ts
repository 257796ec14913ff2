import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seal } from '../../db/secret-box.ts';
import { totpCredential, user } from '../../db/schema/index.ts';
import { testDatabaseKind } from '../helpers/database.ts';
import { TEST_SIGN_IN_ENV } from '../helpers/e2e-server-env.ts';
import { signInCookie } from '../helpers/http-session.ts';
import { upgradeAnswer } from '../helpers/raw-socket.ts';
import { readRouteTree, routePath, type RouteTree } from '../helpers/route-tree.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

// With REQUIRE_MFA_FOR=staff, a password alone reaches nothing of Chorus but the one step the person must take: every
// page, its data, every form action and endpoint of src/routes (read from the tree, so a new route is covered by
// itself) sends them there, or answers 401 for the API. Only the step itself, signing out and the language are open.

/** Where each kind of unfinished sign-in is sent (src/lib/server/second-factor-steps.ts). */
const STEPS = { enrol: '/account/security', verify: '/login/verify' } as const;
type Standing = keyof typeof STEPS;

/** Reachable before the second factor, whatever the standing: signing out and choosing the language. */
const ALWAYS_OPEN = ['/logout', '/language'];

const PLAN_ID = '00000000-0000-4000-8000-000000000000';
const PARAMS = { id: PLAN_ID, seq: '1', token: 'abcdefghijklmnopqrstuvwxyz234567' };

let server: TestServer;
let tree: RouteTree;
const cookies = {} as Record<Standing, string>;

beforeAll(async () => {
	tree = await readRouteTree();
	server = await startTestServer({ REQUIRE_MFA_FOR: 'staff' });
	// Tom has an authenticator app (so must use it); Priya has none (so must set one up).
	const storage = await server.openStorage();
	try {
		const [tom] = await storage.db.select({ id: user.id }).from(user).where(eq(user.username, 'tom'));
		const key = Buffer.from(TEST_SIGN_IN_ENV.ENCRYPTION_KEY, 'base64');
		await storage.db.insert(totpCredential).values({ userId: tom!.id, sealedKey: seal(key, new Uint8Array(20).fill(5)), confirmedAt: new Date() });
	} finally {
		await storage.close();
	}
	cookies.enrol = await signInCookie(server.url, 'priya');
	cookies.verify = await signInCookie(server.url, 'tom');
}, 180_000);
afterAll(() => server?.dispose());

/** True for paths this standing may reach: its own step and what is under it, sign-out, language. */
function isOpen(standing: Standing, path: string): boolean {
	return [STEPS[standing], ...ALWAYS_OPEN].some((open) => path === open || path.startsWith(`${open}/`));
}

/** Where an answer sends the browser: a 303's Location, or the redirect SvelteKit puts in a data or action answer. */
function redirectOf(status: number, location: string | null, body: string): string | null {
	if (status === 303 || status === 302) return location;
	try {
		const answer = JSON.parse(body) as { type?: string; location?: string };
		return answer.type === 'redirect' ? (answer.location ?? null) : null;
	} catch {
		return null;
	}
}

/** Sent to the step, coming back to exactly what was asked for (or to the start). */
function expectSentToStep(standing: Standing, sentTo: string | null, requested: string, label: string): void {
	expect(sentTo, label).toMatch(new RegExp(`^${STEPS[standing]}(\\?next=|$)`));
	const next = new URL(sentTo!, 'http://chorus.invalid').searchParams.get('next');
	// A form action's name is dropped: the person comes back to the page the form was on.
	if (next !== null) expect(next, label).toBe(requested.replace(/\?\/\w+$/, ''));
}

interface Probe {
	label: string;
	/** The path as the person would see it (without __data.json). */
	path: string;
	request: () => Promise<Response>;
	api: boolean;
}

function probes(cookie: string): Probe[] {
	const all: Probe[] = [];
	for (const page of tree.pages) {
		const path = routePath(page.id, PARAMS);
		all.push({
			label: `page ${page.id}`,
			path,
			api: false,
			request: () => fetch(`${server.url}${path}`, { headers: { cookie, accept: 'text/html' }, redirect: 'manual' })
		});
		all.push({
			label: `data ${page.id}`,
			path,
			api: false,
			request: () =>
				fetch(`${server.url}${path === '/' ? '' : path}/__data.json?x-sveltekit-invalidated=${'1'.repeat(page.layouts + 1)}`, { headers: { cookie } })
		});
	}
	for (const action of tree.actions) {
		const path = routePath(action.id, PARAMS) + (action.name === 'default' ? '' : `?/${action.name}`);
		all.push({
			label: `action ${action.id}?/${action.name}`,
			path,
			api: false,
			request: () =>
				fetch(`${server.url}${path}`, {
					method: 'POST',
					redirect: 'manual',
					headers: {
						cookie,
						origin: server.origin,
						accept: 'application/json',
						'x-sveltekit-action': 'true',
						'content-type': 'application/x-www-form-urlencoded'
					},
					body: new URLSearchParams({ userId: PLAN_ID })
				})
		});
	}
	for (const endpoint of tree.endpoints) {
		const path = routePath(endpoint.id, PARAMS);
		const method = endpoint.method === 'fallback' ? 'PATCH' : endpoint.method;
		all.push({
			label: `${method} ${endpoint.id}`,
			path,
			api: path.startsWith('/api/'),
			request: () => fetch(`${server.url}${path}`, { method, headers: { cookie, origin: server.origin }, redirect: 'manual' })
		});
	}
	// Signing out ends the session the other probes use: last.
	return all.sort((a, b) => Number(a.path.startsWith('/logout?')) - Number(b.path.startsWith('/logout?')));
}

describe(`a session without its second factor, REQUIRE_MFA_FOR=staff (${testDatabaseKind})`, () => {
	for (const standing of ['enrol', 'verify'] as const) {
		const who = standing === 'enrol' ? 'a professional without a factor' : 'a professional who has not used theirs';
		it(`sends ${who} to ${STEPS[standing]} from every route, or answers 401 for the API`, async () => {
			const failures: string[] = [];
			const open: string[] = [];
			const all = probes(cookies[standing]);
			expect(all.length).toBeGreaterThan(60);
			for (const probe of all) {
				const response = await probe.request();
				const body = await response.text();
				const sentTo = redirectOf(response.status, response.headers.get('location'), body);
				const label = `${probe.label} → ${response.status} ${sentTo ?? body.slice(0, 120)}`;
				try {
					if (isOpen(standing, probe.path.split('?')[0]!)) {
						// Open, but no way into the rest: never a 401 for the missing factor, never a page's data.
						open.push(probe.path);
						expect(response.status, label).not.toBe(401);
						if (sentTo) expect(isOpen(standing, sentTo.split('?')[0]!) || sentTo.startsWith('/login'), label).toBe(true);
					} else if (probe.api) {
						expect(response.status, label).toBe(401);
						expect(body, label).toMatch(/second factor/);
					} else {
						expectSentToStep(standing, sentTo, probe.path, label);
					}
				} catch (error) {
					failures.push(error instanceof Error ? error.message.split('\n')[0]! : String(error));
				}
			}
			expect(failures).toEqual([]);
			// Signing out (the last probes) ended the half-finished session itself, not only its cookie.
			const after = await fetch(`${server.url}/`, { headers: { cookie: cookies[standing] }, redirect: 'manual' });
			expect([after.status, after.headers.get('location')]).toEqual([303, '/login']);
			// The open list is what the tree has of it: sign-out and language at least.
			expect(open).toEqual(expect.arrayContaining(['/logout', '/language']));
		}, 120_000);

		it(`refuses ${who} a plan socket (HTTP 401 before any socket exists)`, async () => {
			const answer = await upgradeAnswer(`${server.url.replace('http', 'ws')}/collab/${PLAN_ID}`, { cookie: cookies[standing], origin: server.origin });
			expect(answer.status).toBe(401);
		});
	}
});
