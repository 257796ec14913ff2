import { expect, test, type Browser, type Page } from '@playwright/test';
import { planIdsOnHome, signInCookie } from '../helpers/http-session.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { sectionText } from './helpers';

// A server of this test's own (the shared one must stay up for the other files), killed with SIGKILL while
// someone types in a real browser.
let server: TestServer;
let planId: string;

test.beforeAll(async () => {
	server = await startTestServer();
	planId = (await planIdsOnHome(server.url, await signInCookie(server.url, 'sam')))[0]!;
});

test.afterAll(async () => {
	await server?.dispose();
});

async function openPlanAs(browser: Browser, who: string): Promise<Page> {
	const context = await browser.newContext({ baseURL: server.url });
	const page = await context.newPage();
	await page.goto('/login');
	await page.waitForLoadState('networkidle');
	await page.getByLabel('Username').fill(who);
	await page.getByLabel('Password', { exact: true }).fill('chorus-demo');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page).not.toHaveURL(/\/login/);
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
	const typing = sam.keyboard.type(words.repeat(2), { delay: 30 });
	await sam.waitForTimeout(1200);
	await server.kill();
	await expect(sam.getByTestId('save-status')).not.toHaveText('All changes saved');
	await sam.waitForTimeout(1000);
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
