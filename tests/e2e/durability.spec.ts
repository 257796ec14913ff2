import type { Browser, Page } from '@playwright/test';
import { sessionCookie, type SessionCookie } from '../helpers/e2e-sessions.ts';
import { planIdsOnHome } from '../helpers/http-session.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { expect, sectionText, test } from './helpers';

// A server of this test's own (the shared one must stay up for the other files), killed with SIGKILL while
// someone types in a real browser. Everyone's session is started on its database before the kill.
let server: TestServer;
let planId: string;
const sessions = new Map<string, SessionCookie>();

test.beforeAll(async () => {
	server = await startTestServer();
	const storage = await server.openStorage();
	try {
		for (const who of ['sam', 'priya', 'tom']) sessions.set(who, await sessionCookie(storage.db, who, server.url));
	} finally {
		await storage.close();
	}
	const sam = sessions.get('sam')!;
	planId = (await planIdsOnHome(server.url, `${sam.name}=${sam.value}`))[0]!;
});

test.afterAll(async () => {
	await server?.dispose();
});

async function openPlanAs(browser: Browser, who: string): Promise<Page> {
	const context = await browser.newContext({ baseURL: server.url });
	await context.addCookies([sessions.get(who)!]);
	const page = await context.newPage();
	await page.goto(`/plans/${planId}`);
	await expect(page.getByTestId('connection-status')).toHaveText('Connected');
	return page;
}

test('nothing typed in the browser is lost when the server is killed mid-sentence', async ({ browser }) => {
	test.setTimeout(120_000);
	const sam = await openPlanAs(browser, 'sam');
	const priya = await openPlanAs(browser, 'priya');
	const words = 'On good days I walk the dog to the river and back, then I call my sister. ';

	await sam.getByTestId('editor-empowerment').click();
	let typingDone = false;
	const typing = sam.keyboard.type(words.repeat(2), { delay: 30 }).then(() => (typingDone = true));
	// The server has the first words (Priya sees them) and Sam is still typing: now it is killed.
	await expect.poll(() => sectionText(priya, 'empowerment')).toContain('On good days');
	expect(typingDone, 'Sam is still typing when the server is killed').toBe(false);
	await server.kill();
	await expect(sam.getByTestId('save-status')).not.toHaveText('All changes saved');
	// Sam's page has noticed the server is gone (and Sam types on) before it comes back.
	await expect(sam.getByTestId('connection-status')).not.toHaveText('Connected');
	await server.restart();
	await typing;

	await expect(sam.getByTestId('save-status')).toHaveText('All changes saved', { timeout: 30_000 });
	await expect(sam.getByTestId('connection-status')).toHaveText('Connected');
	await expect.poll(() => sectionText(sam, 'empowerment')).toBe(words.repeat(2));
	await expect.poll(() => sectionText(priya, 'empowerment'), { timeout: 30_000 }).toBe(words.repeat(2));

	// And from the server itself, in a fresh browser.
	const tom = await openPlanAs(browser, 'tom');
	await expect.poll(() => sectionText(tom, 'empowerment')).toBe(words.repeat(2));
	for (const page of [sam, priya, tom]) await page.context().close();
});
