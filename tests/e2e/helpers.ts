import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Browser, type BrowserContext, type Page, type Response } from '@playwright/test';
import { E2eServerDatabase, sessionCookie } from '../helpers/e2e-sessions.ts';
import { planIdsOnHome } from '../helpers/http-session.ts';

export { expect };

/** This worker's handle on the server's database, while the worker fixture below holds it. */
let serverDatabase: E2eServerDatabase | undefined;

/**
 * The browser tests' `test`, with the server's database for starting sessions (signIn and the helpers after it):
 * opened on first use, closed when the worker ends. Every spec file uses this one, even those that start no
 * session: files with different fixtures would get workers of their own and no longer run in file order.
 */
export const test = base.extend<object, { serverDatabase: E2eServerDatabase }>({
	serverDatabase: [
		// Playwright reads which fixtures a fixture needs from its destructured first argument: none here.
		// eslint-disable-next-line no-empty-pattern
		async ({}, use) => {
			const database = new E2eServerDatabase();
			serverDatabase = database;
			try {
				await use(database);
			} finally {
				serverDatabase = undefined;
				await database.close();
			}
		},
		{ scope: 'worker', auto: true }
	]
});

/** The password of every demo account (server/demo-seed.ts). */
export const DEMO_PASSWORD = 'chorus-demo';

/** The h1 each kind of person sees on their home page. */
export const HOME_HEADINGS = {
	sam: 'Hello, Sam Taylor',
	jordan: 'Hello, Jordan Lee',
	lee: 'Hello, Lee Novak',
	casey: 'Hello, Casey Brown',
	priya: 'My caseload',
	tom: 'My caseload',
	alex: 'My caseload',
	noah: 'My caseload',
	maria: 'My team’s plans',
	robin: 'People and teams'
} as const;

export type DemoUsername = keyof typeof HOME_HEADINGS;

export const PLAN_TITLES = {
	sam: 'Sam’s recovery plan',
	jordan: 'Jordan’s recovery plan',
	lee: 'Lee’s recovery plan',
	casey: 'Casey’s recovery plan'
} as const;

/**
 * Opens a page and waits until the app has taken it over (its scripts loaded and the page hydrated). Text typed
 * into a form before that can be wiped by hydration (see the report on src/routes/login/+page.svelte), so tests
 * that fill in a form open its page with this.
 */
export async function openPage(page: Page, path: string): Promise<Response | null> {
	const response = await page.goto(path);
	await page.waitForLoadState('networkidle');
	return response;
}

/** Fills in the sign-in form on the current page and submits it (no waiting for the result). */
export async function submitSignIn(page: Page, username: string, password: string): Promise<void> {
	await page.getByLabel('Username').fill(username);
	await page.getByLabel('Password', { exact: true }).fill(password);
	await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/**
 * Signs in through the real sign-in page and waits for the home page (or wherever `next` leads). For the tests
 * whose subject is signing in; the others start a session directly (signIn), which is faster.
 */
export async function signInThroughForm(page: Page, username: DemoUsername | (string & {}), password = DEMO_PASSWORD): Promise<void> {
	await openPage(page, '/login');
	await submitSignIn(page, username, password);
	await expect(page).not.toHaveURL(/\/login(\?|$)/);
	const heading = HOME_HEADINGS[username as DemoUsername];
	if (heading) await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
}

/** The site under test (playwright.config.ts). */
function baseURL(): string {
	const url = base.info().project.use.baseURL;
	if (!url) throw new Error('baseURL is not configured (see playwright.config.ts).');
	return url;
}

/**
 * Starts a session of this person with the command the sign-in form uses (server/commands/sessions.ts) and
 * returns its cookie (`session=…`). Needs `test` from this file. No browser state is stored in files.
 */
async function startSessionOf(username: string): Promise<Awaited<ReturnType<typeof sessionCookie>>> {
	if (!serverDatabase) throw new Error('Sessions need the worker fixture: import `test` from ./helpers, not from @playwright/test.');
	return sessionCookie(await serverDatabase.db(), username, baseURL());
}

/** Gives the browser context a new session of this person: it is then signed in as them. */
export async function addSession(context: BrowserContext, who: DemoUsername): Promise<void> {
	await context.addCookies([await startSessionOf(who)]);
}

/** Signs this person in (with a session, not the form) and opens their home page. */
export async function signIn(page: Page, who: DemoUsername): Promise<void> {
	await addSession(page.context(), who);
	await page.goto('/');
	await expect(page.getByRole('heading', { level: 1, name: HOME_HEADINGS[who] })).toBeVisible();
}

/** A blank page in a browser context of its own, signed in as this person (close it with `page.context().close()`). */
export async function openSignedInPage(browser: Browser, who: DemoUsername): Promise<Page> {
	const context = await browser.newContext();
	await addSession(context, who);
	return context.newPage();
}

/** Opens a plan as this person, in a context of their own, and waits until its editor is connected for live writing. */
export async function openPlanAs(browser: Browser, who: DemoUsername, planId: string): Promise<Page> {
	const page = await openSignedInPage(browser, who);
	await page.goto(`/plans/${planId}`);
	await expect(page.getByTestId('connection-status')).toHaveText('Connected');
	return page;
}

/**
 * The id of a demo plan, read from the one plan link on its service user's home page, fetched with a session of
 * theirs outside any browser, so the calling test's contexts stay as they are.
 */
export async function planIdOf(owner: keyof typeof PLAN_TITLES): Promise<string> {
	const cookie = await startSessionOf(owner);
	const ids = await planIdsOnHome(baseURL(), `${cookie.name}=${cookie.value}`);
	if (ids.length !== 1) throw new Error(`Expected one plan link on ${owner}’s home page, found ${ids.length}.`);
	return ids[0]!;
}

/**
 * Headers of a plain same-site form POST from a browser without JavaScript: the Origin (SvelteKit refuses
 * cross-site form POSTs) and Accept: text/html (otherwise SvelteKit answers form actions with JSON and status 200).
 */
export function formHeaders(baseURL: string | undefined): { Origin: string; Accept: string } {
	if (!baseURL) throw new Error('baseURL is not configured (see playwright.config.ts).');
	return { Origin: new URL(baseURL).origin, Accept: 'text/html' };
}

/** Fails when the page is wider than the viewport, i.e. the person would have to scroll sideways. */
export async function expectNoHorizontalScroll(page: Page): Promise<void> {
	const { scrollWidth, clientWidth } = await page.evaluate(() => ({
		scrollWidth: document.documentElement.scrollWidth,
		clientWidth: document.documentElement.clientWidth
	}));
	expect(scrollWidth, `page is ${scrollWidth}px wide in a ${clientWidth}px viewport`).toBeLessThanOrEqual(clientWidth);
}

/** What a plan section's editor says, without other people's caret labels. */
export function sectionText(page: Page, section: string): Promise<string> {
	return page.getByTestId(`editor-${section}`).evaluate((editor) => {
		const copy = editor.cloneNode(true) as HTMLElement;
		copy.querySelectorAll('.collaboration-caret').forEach((caret) => caret.remove());
		return copy.textContent ?? '';
	});
}

/**
 * Types at the very end of a plan section (Control+End: `End` alone stops at the end of the visual line that was
 * clicked, inside a wrapped paragraph) and waits until it is saved, as the save status says in `savedWords`.
 */
export async function typeAtEndOf(page: Page, section: string, words: string, savedWords = 'All changes saved'): Promise<void> {
	await page.getByTestId(`editor-${section}`).click();
	await page.keyboard.press('Control+End');
	await page.keyboard.type(words);
	await expect(page.getByTestId('save-status')).toHaveText(savedWords);
}

/** Fails on any automated WCAG 2.2 A/AA violation (axe-core) on the page as it is now. */
export async function expectNoViolations(page: Page, what: string): Promise<void> {
	const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
	const problems = results.violations.map(
		(violation) =>
			`${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes
				.map((node) => node.target.join(' '))
				.slice(0, 3)
				.join(', ')}`
	);
	expect(results.passes.length, `axe checked nothing on ${what}`).toBeGreaterThan(10);
	expect(problems, `accessibility problems on ${what}`).toEqual([]);
}
