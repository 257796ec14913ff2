import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { session } from '../../db/schema/index.ts';
import { hashToken } from '../../db/tokens.ts';
import { CLOSE_CODES } from '../../src/lib/shared/collab-protocol.ts';
import { connectCollabClient, eventually, type CollabClient } from '../helpers/collab-client.ts';
import { testDatabaseKind } from '../helpers/database.ts';
import { planIdsOnHome, signInCookie } from '../helpers/http-session.ts';
import { runNodeScript } from '../helpers/processes.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

let server: TestServer;
let planId: string;
const cookies: Record<string, string> = {};
const clients: CollabClient[] = [];

beforeAll(async () => {
	server = await startTestServer();
	for (const who of ['sam', 'priya', 'tom', 'alex', 'jordan', 'robin']) cookies[who] = await signInCookie(server.url, who);
	planId = (await planIdsOnHome(server.url, cookies.sam!))[0]!;
});

afterAll(async () => {
	for (const client of clients) client.destroy();
	await server?.dispose();
});

async function connected(who: string): Promise<CollabClient> {
	const client = connectCollabClient(server.url, planId, { cookie: cookies[who] });
	clients.push(client);
	await client.synced();
	return client;
}

/** Submits a form action as the browser would. */
async function submit(path: string, cookie: string, fields: Record<string, string>): Promise<number> {
	const response = await fetch(`${server.url}${path}`, {
		method: 'POST',
		redirect: 'manual',
		headers: { cookie, origin: server.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams(fields)
	});
	return response.status;
}

/** Reads a hidden id next to a label on an admin page. */
async function adminIds(path: string, pattern: RegExp): Promise<string[]> {
	const html = await (await fetch(`${server.url}${path}`, { headers: { cookie: cookies.robin! } })).text();
	const match = pattern.exec(html);
	if (!match) throw new Error(`not found on ${path}: ${pattern}`);
	return match.slice(1);
}

describe(`ending access closes open sockets (${testDatabaseKind})`, () => {
	it('closes a person’s socket when they sign out', async () => {
		const priya = await connected('priya');
		expect(await submit('/logout?/device', cookies.priya!, {})).toBeLessThan(400);
		await eventually(() => expect(priya.closes.at(-1)?.code).toBe(CLOSE_CODES.sessionEnded), 5_000);
		expect(priya.provider.shouldConnect).toBe(false);
	});

	it('closes a person’s socket when they leave the care team, and keeps everyone else connected', async () => {
		const sam = await connected('sam');
		const tom = await connected('tom');
		// Tom is on several demo plans' care teams: the button for Sam's plan.
		const [tomId] = await adminIds(
			'/admin/plans',
			new RegExp(
				`name="planId" value="${planId}"[^>]*>\\s*<input type="hidden" name="userId" value="([0-9a-f-]{36})"[^>]*>\\s*<button[^>]*aria-label="Remove Tom Becker`
			)
		);
		expect(await submit('/admin/plans?/unassign', cookies.robin!, { planId, userId: tomId! })).toBeLessThan(400);
		await eventually(() => expect(tom.closes.at(-1)?.code).toBe(CLOSE_CODES.accessRevoked), 5_000);
		expect(sam.provider.wsconnected).toBe(true);
	});

	it('closes a disabled person’s sockets', async () => {
		const alex = await connected('alex');
		const [alexId] = await adminIds('/admin', /<td>alex<\/td>[\s\S]*?name="userId" value="([0-9a-f-]{36})"/);
		expect(await submit('/admin?/disable', cookies.robin!, { userId: alexId! })).toBeLessThan(400);
		await eventually(() => expect(alex.closes.at(-1)?.code).toBe(CLOSE_CODES.accountDisabled), 5_000);
	});

	it('closes sockets within seconds when another process disables the account', async () => {
		const jordanPlan = (await planIdsOnHome(server.url, cookies.jordan!))[0]!;
		const jordan = connectCollabClient(server.url, jordanPlan, { cookie: cookies.jordan });
		clients.push(jordan);
		await jordan.synced();
		const cli = await runNodeScript('server/cli.ts', ['user', 'disable', '--username', 'jordan'], { env: { DATABASE_URL: server.databaseUrl, DATA_DIR: '' } });
		expect(cli.code, cli.stderr).toBe(0);
		await eventually(() => expect(jordan.closes.at(-1)?.code).toBe(CLOSE_CODES.accountDisabled), 8_000);
	});

	it('closes a socket whose session ran out, saying that it ran out', async () => {
		const cookie = await signInCookie(server.url, 'sam');
		const sam = connectCollabClient(server.url, planId, { cookie });
		clients.push(sam);
		await sam.synced();
		const storage = await server.openStorage();
		try {
			const token = decodeURIComponent(cookie.slice('session='.length));
			await storage.db
				.update(session)
				.set({ expiresAt: new Date(Date.now() - 1_000) })
				.where(eq(session.id, hashToken(token)));
		} finally {
			await storage.close();
		}
		await eventually(() => expect(sam.closes.at(-1)?.code).toBe(CLOSE_CODES.sessionExpired), 8_000);
		expect(sam.provider.shouldConnect).toBe(false);
	});
});
