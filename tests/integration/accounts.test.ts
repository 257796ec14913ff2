import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_FAILURE_LIMIT } from '../../db/sign-in.ts';
import { testDatabaseKind } from '../helpers/database.ts';
import { planIdsOnHome, signInCookie } from '../helpers/http-session.ts';
import { readPageData, submitAction } from '../helpers/sveltekit-requests.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

// The real built server with the demo team: who can make and use sign-in links, who is told, and who sees
// care-team changes. Passwords of demo accounts change here, so this file has a server of its own.

const PEOPLE = ['sam', 'priya', 'maria', 'robin'] as const;
let server: TestServer;
const cookies = {} as Record<(typeof PEOPLE)[number], string>;
let samPlan: string;

beforeAll(async () => {
	server = await startTestServer();
	for (const person of PEOPLE) cookies[person] = await signInCookie(server.url, person);
	samPlan = (await planIdsOnHome(server.url, cookies.sam))[0]!;
});
afterAll(() => server?.dispose());

const action = (cookie: string, path: string, fields: Record<string, string> = {}) => submitAction(server.url, server.origin, cookie, path, fields);
const html = async (path: string, cookie = '') => {
	const response = await fetch(`${server.url}${path}`, { headers: { cookie }, redirect: 'manual' });
	return { status: response.status, text: await response.text() };
};

describe(`sign-in links and care teams over HTTP (${testDatabaseKind})`, () => {
	it('does not let a worker use, signed in as themselves, a link they made for the person; the person is told and cancels it', async () => {
		const made = await action(cookies.priya, `/plans/${samPlan}?/invite`);
		expect(made).toMatchObject({ type: 'success', data: { replacesPassword: true } });
		const link = new URL(String(made.data!.link));

		// Priya opens it in her own browser: asked to sign out first, and her submission is refused.
		const asPriya = await html(link.pathname, cookies.priya);
		expect(asPriya.text).toContain('You are signed in as Priya Shah, and this link is for someone else. Please sign out first');
		expect(asPriya.text).not.toContain('New password');
		const used = await action(cookies.priya, link.pathname, { username: 'sam', password: 'taken over by someone', confirm: 'taken over by someone' });
		expect(used).toMatchObject({ type: 'failure', status: 409 });
		expect((await html(link.pathname)).text).toContain('Welcome, Sam Taylor');
		expect((await html('/', cookies.sam)).status).toBe(200);

		// Sam, still signed in with the password Sam chose, is told who made it and until when it works…
		const home = await html('/', cookies.sam);
		expect(home.text).toContain('Someone can set a new password for your account');
		expect(home.text).toMatch(/Priya Shah \(Social worker\) made a sign-in link for your account on [^<]+\. It works until/);
		// …and cancels it: it no longer works, for anyone.
		expect(await action(cookies.sam, '/account?/cancelLinks')).toMatchObject({ type: 'success', data: { message: expect.stringContaining('cancelled') } });
		const gone = await html(link.pathname);
		expect(gone.status).toBe(410);
		expect(gone.text).toContain('This link no longer works');
		expect((await html('/', cookies.sam)).text).not.toContain('Someone can set a new password for your account');
		await signInCookie(server.url, 'sam');
	});

	it('never creates an account with a password the administrator knows: the person gets a link instead', async () => {
		const known = 'a password robin chose';
		const created = await action(cookies.robin, '/admin?/create', {
			displayName: 'Quinn Known',
			username: 'quinn',
			role: 'professional',
			discipline: 'nurse',
			signIn: 'password',
			password: known
		});
		expect(created).toMatchObject({ type: 'success', data: { saved: true, link: expect.stringMatching(/\/invite\/[a-z2-7]{32}$/) } });
		await expect(signInCookie(server.url, 'quinn', known)).rejects.toThrow(/HTTP 400/);
		const people = await readPageData(server.url, cookies.robin, '/admin');
		expect(people.data!.accounts).toContainEqual(expect.objectContaining({ username: 'quinn', hasPassword: false }));
	});

	it('shows who added or removed whom on a care team to the person and the supervisor, and to nobody else', async () => {
		const admin = await readPageData(server.url, cookies.robin, '/admin/plans');
		const noah = (admin.data!.professionals as { id: string; displayName: string }[]).find((person) => person.displayName === 'Noah Williams')!;
		// Noah is in another team: the administrator was warned and adds him all the same.
		expect(await action(cookies.robin, '/admin/plans?/assign', { planId: samPlan, userId: noah.id, outsideTeam: 'yes' })).toMatchObject({ type: 'success' });
		expect(await action(cookies.robin, '/admin/plans?/unassign', { planId: samPlan, userId: noah.id })).toMatchObject({ type: 'success' });

		const robin = { name: 'Robin Clarke', role: 'admin' };
		const noahThere = { id: noah.id, name: 'Noah Williams', role: 'professional', discipline: 'psychologist' };
		const expected = [
			expect.objectContaining({ change: 'removed', by: expect.objectContaining(robin), member: noahThere }),
			expect.objectContaining({ change: 'added', by: expect.objectContaining(robin), member: noahThere })
		];
		const own = await readPageData(server.url, cookies.sam, `/plans/${samPlan}`);
		expect((own.data!.careTeamChanges as unknown[]).slice(0, 2)).toEqual(expected);
		const supervisor = await readPageData(server.url, cookies.maria, `/audit/plans/${samPlan}`);
		expect((supervisor.data!.careTeamChanges as unknown[]).slice(0, 2)).toEqual(expected);
		// The demo's own care team, added by Robin, is there too.
		expect(own.data!.careTeamChanges).toContainEqual(expect.objectContaining({ change: 'added', member: expect.objectContaining({ name: 'Priya Shah' }) }));

		const page = await html(`/plans/${samPlan}`, cookies.sam);
		expect(page.text.replace(/<!--.*?-->/g, '')).toMatch(
			/Robin Clarke \(Administrator\)\s+added\s+<strong>Noah Williams \(Psychologist\)<\/strong>\s+to\s+your care team on/
		);
		expect((await readPageData(server.url, cookies.priya, `/plans/${samPlan}`)).data!.careTeamChanges).toBeNull();
		expect((await readPageData(server.url, cookies.priya, `/audit/plans/${samPlan}`)).status).toBe(403);
	});

	it(`answers 30 wrong passwords sent at once with at most ${ACCOUNT_FAILURE_LIMIT} checked and the rest 429, then refuses the right one while paused`, async () => {
		const attempt = (password: string) =>
			fetch(`${server.url}/login`, {
				method: 'POST',
				redirect: 'manual',
				headers: { origin: server.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ username: 'jordan', password })
			});
		const answers = await Promise.all(Array.from({ length: 30 }, (_, index) => attempt(`wrong guess ${index}`)));
		const statuses = answers.map((answer) => answer.status);
		expect(statuses.filter((status) => status === 400).length).toBeLessThanOrEqual(ACCOUNT_FAILURE_LIMIT);
		expect(statuses.filter((status) => status !== 400).every((status) => status === 429)).toBe(true);
		expect((await attempt('chorus-demo')).status).toBe(429);
	});
});
