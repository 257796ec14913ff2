import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAccounts } from '../../db/accounts.ts';
import { listAllPlans } from '../../db/plans.ts';
import { seal } from '../../db/secret-box.ts';
import { auditEvent, recoveryCode, session, totpCredential, user } from '../../db/schema/index.ts';
import { hashToken } from '../../db/tokens.ts';
import { testDatabaseKind } from '../helpers/database.ts';
import { TEST_SIGN_IN_ENV } from '../helpers/e2e-server-env.ts';
import { signInCookie } from '../helpers/http-session.ts';
import { submitAction } from '../helpers/sveltekit-requests.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

// Sessions under the sign-in rules: sensitive actions ask again after 15 minutes, an administrator's reset of someone's
// second factors, and staff sessions that end when idle. The default policy (no second factor required) throughout:
// a reset must send the person to set up a new factor even then.

const MINUTE = 60_000;

let server: TestServer;
let people: Record<string, string>;
let samPlan: { id: string; teamId: string };
beforeAll(async () => {
	server = await startTestServer({});
	const storage = await server.openStorage();
	try {
		people = Object.fromEntries((await listAccounts(storage.db)).map((account) => [account.username, account.id]));
		const plan = (await listAllPlans(storage.db)).find((candidate) => candidate.serviceUser.id === people.sam)!;
		samPlan = { id: plan.id, teamId: plan.team.id };
	} finally {
		await storage.close();
	}
}, 180_000);
afterAll(() => server?.dispose());

/** Changes the session of a cookie straight in the database, as if time had passed. */
async function ageSession(cookie: string, changes: { confirmedAt?: Date; lastActiveAt?: Date }): Promise<void> {
	const storage = await server.openStorage();
	try {
		await storage.db
			.update(session)
			.set(changes)
			.where(eq(session.id, hashToken(cookie.slice('session='.length))));
	} finally {
		await storage.close();
	}
}

async function sessionRow(cookie: string) {
	const storage = await server.openStorage();
	try {
		const [row] = await storage.db
			.select()
			.from(session)
			.where(eq(session.id, hashToken(cookie.slice('session='.length))));
		return row ?? null;
	} finally {
		await storage.close();
	}
}

async function auditOf(action: string, targetId: string) {
	const storage = await server.openStorage();
	try {
		return await storage.db
			.select()
			.from(auditEvent)
			.where(and(eq(auditEvent.action, action), eq(auditEvent.targetId, targetId)));
	} finally {
		await storage.close();
	}
}

const confirmFor = (next: string) => `/login/confirm?next=${encodeURIComponent(next)}`;

async function get(cookie: string, path: string, headers: Record<string, string> = {}) {
	const response = await fetch(`${server.url}${path}`, { headers: { cookie, ...headers }, redirect: 'manual' });
	return { status: response.status, location: response.headers.get('location'), body: await response.text() };
}

describe(`asking again before sensitive actions (${testDatabaseKind})`, () => {
	const sixteenMinutesAgo = () => new Date(Date.now() - 16 * MINUTE);

	it('sends a session confirmed 16 minutes ago to confirm for exports and restores, and lets a fresh one through', async () => {
		const tom = await signInCookie(server.url, 'tom');
		const plan = `/plans/${samPlan.id}`;
		// Fresh (every sign-in confirms): the download is there.
		expect((await get(tom, `${plan}/download`)).status).toBe(200);

		await ageSession(tom, { confirmedAt: sixteenMinutesAgo() });
		expect(await get(tom, `${plan}/download`)).toMatchObject({ status: 303, location: confirmFor(`${plan}/download`) });
		// The JSON API: a script gets a JSON 401 naming where to confirm; a browser opening it is sent there.
		for (const api of ['authorship', 'history', 'versions']) {
			const path = `/api/plans/${samPlan.id}/${api}`;
			const answer = await get(tom, path);
			expect(answer.status, path).toBe(401);
			expect(JSON.parse(answer.body), path).toEqual({ code: 'confirmation-needed', message: expect.any(String), confirm: confirmFor(path) });
			expect(await get(tom, path, { accept: 'text/html' }), path).toMatchObject({ status: 303, location: confirmFor(path) });
		}
		// A restore: the person comes back to the page the form was on (the action's name is dropped) and submits again.
		const restore = await submitAction(server.url, server.origin, tom, `${plan}/at/1?/restore`, { target: 'about', confirmed: 'yes' });
		expect(restore).toMatchObject({ type: 'redirect', location: confirmFor(`${plan}/at/1`) });
		// Reading is not sensitive: the plan itself still opens.
		expect((await get(tom, plan)).status).toBe(200);

		await ageSession(tom, { confirmedAt: new Date() });
		expect((await get(tom, `${plan}/download`)).status).toBe(200);
		expect((await get(tom, `/api/plans/${samPlan.id}/versions`)).status).toBe(200);
	});

	it('asks a supervisor again before the involvement export', async () => {
		const maria = await signInCookie(server.url, 'maria');
		const path = `/api/audit/involvement?team=${samPlan.teamId}&format=json`;
		expect((await get(maria, path)).status).toBe(200);
		await ageSession(maria, { confirmedAt: sixteenMinutesAgo() });
		const answer = await get(maria, path);
		expect(answer.status).toBe(401);
		expect(JSON.parse(answer.body)).toMatchObject({ confirm: confirmFor(path) });
		expect(await get(maria, `/api/audit/involvement?team=${samPlan.teamId}&format=csv`, { accept: 'text/html' })).toMatchObject({
			status: 303,
			location: confirmFor(`/api/audit/involvement?team=${samPlan.teamId}&format=csv`)
		});
	});

	it('asks an administrator again before every change, after the role check, and changes nothing meanwhile', async () => {
		const robin = await signInCookie(server.url, 'robin');
		await ageSession(robin, { confirmedAt: sixteenMinutesAgo() });
		const someone = { userId: people.casey! };
		const changes: [string, Record<string, string>][] = [
			['/admin?/create', { username: 'not-made', displayName: 'Not made', role: 'service_user' }],
			['/admin?/invite', someone],
			['/admin?/edit', { ...someone, displayName: 'Renamed', username: 'casey' }],
			['/admin?/disable', someone],
			['/admin?/enable', someone],
			['/admin?/resetSecondFactors', someone],
			['/admin/plans?/create', { serviceUserId: people.casey!, teamId: samPlan.teamId, title: 'Not made' }],
			['/admin/plans?/assign', { planId: samPlan.id, userId: people.priya! }],
			['/admin/plans?/unassign', { planId: samPlan.id, userId: people.tom! }],
			['/admin/teams?/create', { name: 'Not made' }],
			['/admin/teams?/add', { teamId: samPlan.teamId, userId: people.casey! }],
			['/admin/teams?/remove', { teamId: samPlan.teamId, userId: people.tom! }],
			['/admin/teams?/crisisContact', { teamId: samPlan.teamId, name: 'Not saved', phone: '01632 960 000' }],
			['/admin/teams?/clearCrisisContact', { teamId: samPlan.teamId }]
		];
		for (const [path, form] of changes) {
			const answer = await submitAction(server.url, server.origin, robin, path, form);
			expect(answer, path).toMatchObject({ type: 'redirect', location: confirmFor(path.split('?')[0]!) });
		}
		// Nothing was done: Casey is still enabled and not renamed, nobody was made.
		const storage = await server.openStorage();
		try {
			const accounts = await listAccounts(storage.db);
			expect(accounts.find((account) => account.id === people.casey)).toMatchObject({
				displayName: 'Casey Brown',
				disabledAt: null,
				secondFactorResetAt: null
			});
			expect(accounts.some((account) => account.username === 'not-made')).toBe(false);
		} finally {
			await storage.close();
		}
		// Someone who is no administrator is refused as before, not asked to confirm.
		const tom = await signInCookie(server.url, 'tom');
		await ageSession(tom, { confirmedAt: sixteenMinutesAgo() });
		expect(await submitAction(server.url, server.origin, tom, '/admin?/disable', someone)).toMatchObject({ type: 'error', status: 403 });
	});
});

describe(`an administrator resets someone's second factors (${testDatabaseKind})`, () => {
	it('removes them, signs the person out, audits it, and sends them to set up a new one at their next sign-in', async () => {
		const storage = await server.openStorage();
		try {
			const key = Buffer.from(TEST_SIGN_IN_ENV.ENCRYPTION_KEY, 'base64');
			await storage.db.insert(totpCredential).values({ userId: people.jordan!, sealedKey: seal(key, new Uint8Array(20).fill(7)), confirmedAt: new Date() });
			await storage.db.insert(recoveryCode).values({ userId: people.jordan!, codeHash: 'not a real hash' });
		} finally {
			await storage.close();
		}
		const jordanBefore = await signInCookie(server.url, 'jordan');
		expect(await get(jordanBefore, '/')).toMatchObject({ status: 303, location: '/login/verify' });

		const robin = await signInCookie(server.url, 'robin');
		const admin = await fetch(`${server.url}/admin`, { headers: { cookie: robin } });
		expect(await admin.text()).toContain('Reset the second factors of Jordan Lee');
		const reset = await submitAction(server.url, server.origin, robin, '/admin?/resetSecondFactors', { userId: people.jordan! });
		expect(reset, reset.body).toMatchObject({
			type: 'success',
			data: { saved: true, message: expect.stringMatching(/Jordan Lee’s second factors are reset/) }
		});

		// Signed out everywhere; the factors are gone; the password alone reaches only setting up a new factor,
		// although no second factor is required of service users.
		expect(await sessionRow(jordanBefore)).toBeNull();
		const jordan = await signInCookie(server.url, 'jordan');
		expect(await get(jordan, '/')).toMatchObject({ status: 303, location: '/account/security' });
		expect(await get(jordan, `/plans/${samPlan.id}`)).toMatchObject({
			status: 303,
			location: `/account/security?next=${encodeURIComponent(`/plans/${samPlan.id}`)}`
		});
		expect((await get(jordan, '/login/verify')).location).toMatch(/^\/account\/security/);

		const check = await server.openStorage();
		try {
			expect(await check.db.select().from(totpCredential).where(eq(totpCredential.userId, people.jordan!))).toEqual([]);
			expect(await check.db.select().from(recoveryCode).where(eq(recoveryCode.userId, people.jordan!))).toEqual([]);
			const [account] = await check.db.select({ resetAt: user.secondFactorResetAt }).from(user).where(eq(user.id, people.jordan!));
			expect(account!.resetAt).toBeInstanceOf(Date);
		} finally {
			await check.close();
		}
		expect(await auditOf('second_factor.reset', people.jordan!)).toEqual([
			expect.objectContaining({ actorId: people.robin, targetType: 'user', detail: { factorsRemoved: 1 } })
		]);
	});
});

describe(`idle staff sessions (${testDatabaseKind})`, () => {
	it('answers how long a session has left: asking is no activity, the ping is', async () => {
		const priya = await signInCookie(server.url, 'priya');
		const tenMinutesAgo = new Date(Date.now() - 10 * MINUTE);
		await ageSession(priya, { lastActiveAt: tenMinutesAgo });
		const asked = await get(priya, '/api/session/activity');
		expect(asked.status).toBe(200);
		const { remainingMs } = JSON.parse(asked.body) as { remainingMs: number };
		expect(remainingMs).toBeGreaterThan(19 * MINUTE);
		expect(remainingMs).toBeLessThanOrEqual(20 * MINUTE);
		expect((await sessionRow(priya))!.lastActiveAt).toEqual(tenMinutesAgo);

		const pinged = await fetch(`${server.url}/api/session/activity`, { method: 'POST', headers: { cookie: priya } });
		expect(((await pinged.json()) as { remainingMs: number }).remainingMs).toBeGreaterThan(29 * MINUTE);
		expect((await sessionRow(priya))!.lastActiveAt.getTime()).toBeGreaterThan(Date.now() - MINUTE);

		// Service users' sessions have no idle limit; nobody signed in is told so.
		const sam = await signInCookie(server.url, 'sam');
		expect(JSON.parse((await get(sam, '/api/session/activity')).body)).toEqual({ remainingMs: null });
		expect((await get('', '/api/session/activity')).status).toBe(401);
		expect((await fetch(`${server.url}/api/session/activity`, { method: 'POST' })).status).toBe(401);
	});

	it('ends a staff session idle for longer than the limit: sign-in says why, and the end is audited once', async () => {
		const alex = await signInCookie(server.url, 'alex');
		await ageSession(alex, { lastActiveAt: new Date(Date.now() - 31 * MINUTE) });
		const plan = `/plans/${samPlan.id}`;
		const sent = await get(alex, plan);
		expect(sent).toMatchObject({ status: 303, location: `/login?next=${encodeURIComponent(plan)}&reason=idle` });
		expect(await sessionRow(alex)).toBeNull();
		// The next request no longer has a session at all: a plain sign-in.
		expect(await get(alex, plan)).toMatchObject({ status: 303, location: `/login?next=${encodeURIComponent(plan)}` });

		const signIn = await get('', `/login?next=${encodeURIComponent(plan)}&reason=idle`);
		expect(signIn.body).toContain('You were signed out after 30 minutes without activity');
		expect((await get('', '/login')).body).not.toContain('without activity');
		expect(await auditOf('session.ended_idle', hashToken(alex.slice('session='.length)))).toEqual([
			expect.objectContaining({ actorId: null, targetType: 'session', detail: { userId: people.alex, idleMinutes: 30 } })
		]);
	});
});
