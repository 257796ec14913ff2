import type { Page } from '@playwright/test';
import { type DemoUsername, expect, expectNoViolations as expectNoViolationsAsShown, planIdOf, signIn, test } from './helpers';

// Automated WCAG 2.2 A/AA checks (axe-core) on the pages people under stress use most. Automated checks find
// only part of what matters; keyboard use and plain language are covered by the other tests and by review.
// Every page is checked in light and dark mode (the system setting), on a laptop and on a phone.

const MODES = [
	{ colorScheme: 'light', width: 1280, height: 900 },
	{ colorScheme: 'dark', width: 1280, height: 900 },
	{ colorScheme: 'light', width: 390, height: 844 },
	{ colorScheme: 'dark', width: 390, height: 844 }
] as const;

/** The page's background as drawn: dark mode must really be on when it is checked. */
const paperOf = (page: Page) => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);

/** Runs axe on the page as it is now in each mode, then leaves it as it was (light, 1280×900). */
async function expectNoViolations(page: Page, what: string): Promise<void> {
	for (const mode of MODES) {
		await page.emulateMedia({ colorScheme: mode.colorScheme });
		await page.setViewportSize({ width: mode.width, height: mode.height });
		expect(await paperOf(page), `${what} is in ${mode.colorScheme} mode`).toBe(mode.colorScheme === 'dark' ? 'rgb(18, 24, 22)' : 'rgb(251, 250, 247)');
		await expectNoViolationsAsShown(page, `${what} (${mode.colorScheme}, ${mode.width}×${mode.height})`);
	}
	await page.emulateMedia({ colorScheme: 'light' });
	await page.setViewportSize({ width: 1280, height: 900 });
}

// Four checks of each page take a while on a shared machine.
test.describe.configure({ timeout: 240_000 });

test('the sign-in page meets WCAG 2.2 AA automated checks', async ({ page }) => {
	await page.goto('/login');
	await expectNoViolations(page, 'the sign-in page');
});

for (const who of ['sam', 'priya', 'maria', 'robin'] as DemoUsername[]) {
	test(`${who}’s home page meets WCAG 2.2 AA automated checks`, async ({ page }) => {
		await signIn(page, who);
		await expectNoViolations(page, `${who}’s home page`);
	});
}

test('a live plan page, with goals, meets WCAG 2.2 AA automated checks, for an editor and a reader', async ({ page, browser }) => {
	const planId = await planIdOf('sam');
	await signIn(page, 'sam');
	await page.goto(`/plans/${planId}`);
	await expect(page.getByTestId('connection-status')).toHaveText('Connected');
	await page.getByRole('button', { name: 'Add a goal for connectedness' }).click();
	await page.keyboard.type('See my cousin once a month');
	await page.locator('#section-connectedness').getByRole('button', { name: 'Add a step' }).click();
	await expectNoViolations(page, 'the plan page (editing)');

	const reader = await browser.newContext();
	const maria = await reader.newPage();
	await signIn(maria, 'maria');
	await maria.goto(`/plans/${planId}`);
	await expect(maria.getByTestId('connection-status')).toHaveText('Connected');
	await expectNoViolations(maria, 'the plan page (read-only)');
	await reader.close();
});

test('the administration pages meet WCAG 2.2 AA automated checks', async ({ page }) => {
	await signIn(page, 'robin');
	for (const path of ['/admin', '/admin/teams', '/admin/plans', '/account']) {
		await page.goto(path);
		await expectNoViolations(page, path);
	}
});

test('the history, version, comparison and versions pages meet WCAG 2.2 AA automated checks, with author colours on', async ({ page }) => {
	const planId = await planIdOf('sam');
	await signIn(page, 'sam');
	await page.goto(`/plans/${planId}`);
	await expect(page.getByTestId('connection-status')).toHaveText('Connected');
	await page.getByTestId('editor-meaning').click();
	await page.keyboard.type('Volunteering at the food bank.');
	await expect(page.getByTestId('save-status')).toHaveText('All changes saved');
	await page.getByTestId('authors-toggle').click();
	await expect(page.locator('#section-meaning').getByTestId('share-bar')).toContainText('Sam Taylor');
	await expectNoViolations(page, 'the plan page with author colours');

	await page.goto(`/plans/${planId}/history`);
	await expect(page.getByTestId('history-session').first()).toBeVisible();
	await expectNoViolations(page, 'the history page');
	await page.getByTestId('history-session').first().getByRole('link', { name: 'What changed' }).click();
	await expect(page.locator('[data-testid="version-meaning"] ins.change-added').first()).toBeVisible();
	await expectNoViolations(page, 'the comparison page');
	await page.goto(`/plans/${planId}/history`);
	await page.getByTestId('history-session').first().getByRole('link', { name: 'The plan as it was after this' }).click();
	await expect(page.getByTestId('version-meaning')).toContainText('Volunteering at the food bank.');
	await expectNoViolations(page, 'a version page');
	await page.goto(`/plans/${planId}/versions`);
	await expectNoViolations(page, 'the versions page');
});

test('the involvement audit, a plan’s drill-down and the appointments card meet WCAG 2.2 AA automated checks', async ({ page, browser }) => {
	await signIn(page, 'maria');
	await page.goto('/audit');
	await expect(page.getByTestId('involvement-table')).toBeVisible();
	await expectNoViolations(page, 'the involvement audit');
	await page.getByTestId('involvement-row').filter({ hasText: 'Casey Brown' }).getByRole('link', { name: 'Casey Brown' }).click();
	await expect(page.getByTestId('section-table')).toBeVisible();
	await expectNoViolations(page, 'a plan’s involvement');

	const planId = await planIdOf('sam');
	const tom = await (await browser.newContext()).newPage();
	await signIn(tom, 'tom');
	await tom.goto(`/plans/${planId}`);
	await expect(tom.getByTestId('connection-status')).toHaveText('Connected');
	await tom.getByText('Book an appointment').click();
	await expectNoViolations(tom, 'the plan page with the appointment form open');
	await tom.context().close();
});
