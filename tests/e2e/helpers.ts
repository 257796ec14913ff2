import AxeBuilder from '@axe-core/playwright';
import { expect, type Browser, type Page, type Response } from '@playwright/test';

/** The password of every demo account (server/demo-seed.ts). */
export const DEMO_PASSWORD = 'chorus-demo';

/** The h1 each kind of person sees on their home page. */
export const HOME_HEADINGS = {
	sam: 'Hello, Sam Taylor',
	jordan: 'Hello, Jordan Lee',
	lee: 'Hello, Lee Novak',
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
	lee: 'Lee’s recovery plan'
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
	await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * Signs in through the real sign-in page and waits for the home page (or wherever `next` leads).
 * Every test signs in for itself: no browser state is stored in files.
 */
export async function signIn(page: Page, username: DemoUsername | (string & {}), password = DEMO_PASSWORD): Promise<void> {
	await openPage(page, '/login');
	await submitSignIn(page, username, password);
	await expect(page).not.toHaveURL(/\/login(\?|$)/);
	const heading = HOME_HEADINGS[username as DemoUsername];
	if (heading) await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
}

/** A page in a browser context of its own, signed in as this person (close it with `page.context().close()`). */
export async function openSignedInPage(browser: Browser, who: DemoUsername): Promise<Page> {
	const page = await (await browser.newContext()).newPage();
	await signIn(page, who);
	return page;
}

/** Opens a plan as this person, in a context of their own, and waits until its editor is connected for live writing. */
export async function openPlanAs(browser: Browser, who: DemoUsername, planId: string): Promise<Page> {
	const page = await openSignedInPage(browser, who);
	await page.goto(`/plans/${planId}`);
	await expect(page.getByTestId('connection-status')).toHaveText('Connected');
	return page;
}

/**
 * The id of a demo plan, read from the plan link on its service user's home page,
 * in a browser context of its own so the calling test's context stays signed out.
 */
export async function planIdOf(browser: Browser, owner: keyof typeof PLAN_TITLES): Promise<string> {
	const context = await browser.newContext();
	try {
		const page = await context.newPage();
		await signIn(page, owner);
		const href = await page.getByRole('link', { name: PLAN_TITLES[owner] }).getAttribute('href');
		const id = /^\/plans\/([0-9a-f-]{36})$/.exec(href ?? '')?.[1];
		if (!id) throw new Error(`Unexpected plan link on ${owner}’s home page: ${href}`);
		return id;
	} finally {
		await context.close();
	}
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

/** Fails on any automated WCAG 2.2 A/AA violation (axe-core) on the page as it is now. */
export async function expectNoViolations(page: Page, what: string): Promise<void> {
	const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
	const problems = results.violations.map(
		(violation) => `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes.map((node) => node.target.join(' ')).slice(0, 3).join(', ')}`
	);
	expect(results.passes.length, `axe checked nothing on ${what}`).toBeGreaterThan(10);
	expect(problems, `accessibility problems on ${what}`).toEqual([]);
}
