import type { Locator, Page } from '@playwright/test';
import { expect, expectNoHorizontalScroll, openPlanAs, planIdOf, signIn, test } from './helpers';

// Issue 12, the smaller things a person notices: the audit on a phone and in the address bar, one colour per
// person, Compare with only what changed, error pages that say what happened, dark mode.

const rowsOf = (page: Page) => page.getByTestId('involvement-row');

/** Fails unless the element is drawn inside the box (horizontally): not cut off, not scrolled out of view. */
async function expectInside(element: Locator, box: { x: number; width: number }, what: string): Promise<void> {
	const drawn = (await element.boundingBox())!;
	expect(drawn, `${what} is drawn`).not.toBeNull();
	expect(drawn.x, `${what} starts inside`).toBeGreaterThanOrEqual(box.x - 1);
	expect(drawn.x + drawn.width, `${what} ends inside`).toBeLessThanOrEqual(box.x + box.width + 1);
}

async function expectFlagsOnScreen(page: Page, width: number): Promise<void> {
	const flagged = rowsOf(page).filter({ has: page.locator('li.badge[data-flag]') });
	expect(await flagged.count()).toBeGreaterThan(0);
	const scroller = (await page.locator('.plans-scroll').boundingBox())!;
	for (const row of await flagged.all()) {
		for (const flag of await row.locator('li.badge[data-flag]').all()) {
			await expect(flag).toBeVisible();
			const name = `${await row.getAttribute('data-person')}’s flag “${await flag.textContent()}” at ${width} px`;
			await expectInside(flag, { x: 0, width }, name);
			await expectInside(flag, scroller, name);
		}
	}
}

test('on a phone each plan of the audit is a card with its flags under the name, and it sorts from the form', async ({ page }) => {
	await page.setViewportSize({ width: 390, height: 844 });
	await signIn(page, 'maria');
	await page.goto('/audit');
	const jordan = page.locator('[data-testid="involvement-row"][data-person="Jordan Lee"]');
	await expect(jordan.locator('li.badge[data-flag="review_overdue"]')).toBeVisible();
	await expect(page.locator('.plans-table thead')).toBeHidden();
	// Every figure has its name beside it on the card.
	await expect(jordan.getByText('Person’s share', { exact: true })).toBeVisible();
	await expect(jordan.getByText('Crisis plan', { exact: true })).toBeVisible();
	await expectFlagsOnScreen(page, 390);
	await expectNoHorizontalScroll(page);

	await page.getByLabel('Sort by').selectOption('name');
	await expect(page).toHaveURL(/[?&]sort=name(&|$)/);
	const names = await rowsOf(page).evaluateAll((rows) => rows.map((row) => row.getAttribute('data-person') ?? ''));
	expect(names).toEqual(names.toSorted((a, b) => a.localeCompare(b)));
});

test('on a wide screen the flags are never cut off', async ({ page }) => {
	await signIn(page, 'maria');
	for (const width of [1280, 1000]) {
		await page.setViewportSize({ width, height: 900 });
		await page.goto('/audit');
		await expect(rowsOf(page).first()).toBeVisible();
		await expect(page.locator('.plans-table thead')).toBeVisible();
		await expectFlagsOnScreen(page, width);
		await expectNoHorizontalScroll(page);
	}
});

test('the audit’s filters and sort are in the address: they survive a reload, the back button steps through them, and nonsense is ignored', async ({
	page
}) => {
	await signIn(page, 'maria');
	await page.goto('/audit');
	const rows = rowsOf(page);
	await expect(rows.first()).toBeVisible();
	const total = await rows.count();

	await page.getByLabel('Only plans that need attention').check();
	await expect(page).toHaveURL(/[?&]attention=1(&|$)/);
	const flagged = await rows.count();
	expect(flagged).toBeLessThanOrEqual(total);
	await page.getByLabel('Flag').selectOption('review_overdue');
	await expect(page).toHaveURL(/[?&]flag=review_overdue(&|$)/);
	await expect(rows.filter({ hasNot: page.locator('li.badge[data-flag="review_overdue"]') })).toHaveCount(0);
	const overdue = await rows.count();
	expect(overdue).toBeGreaterThan(0);

	await page.reload();
	await expect(page.getByLabel('Only plans that need attention')).toBeChecked();
	await expect(page.getByLabel('Flag')).toHaveValue('review_overdue');
	await expect(rows).toHaveCount(overdue);

	await page.goBack();
	await expect(page).not.toHaveURL(/flag=/);
	await expect(page.getByLabel('Flag')).toHaveValue('');
	await expect(page.getByLabel('Only plans that need attention')).toBeChecked();
	await expect(rows).toHaveCount(flagged);
	await page.goBack();
	await expect(page).toHaveURL('/audit');
	await expect(page.getByLabel('Only plans that need attention')).not.toBeChecked();
	await expect(rows).toHaveCount(total);

	// Sorting by a column's heading, and finding a person, are in the address too.
	await page.getByRole('button', { name: 'Person', exact: true }).click();
	await expect(page).toHaveURL(/[?&]sort=name(&|$)/);
	await expect(page.getByRole('columnheader', { name: 'Person', exact: true })).toHaveAttribute('aria-sort', 'ascending');
	await page.getByLabel('Find a person').fill('Jordan');
	await expect(page).toHaveURL(/[?&]q=Jordan(&|$)/);
	await expect(rows).toHaveCount(1);
	const shared = page.url();
	await page.goto('/');
	await page.goto(shared);
	await expect(page.getByLabel('Find a person')).toHaveValue('Jordan');
	await expect(rows).toHaveCount(1);
	await expect(page.getByRole('columnheader', { name: 'Person', exact: true })).toHaveAttribute('aria-sort', 'ascending');

	// A mistyped link still opens the audit, with every plan in the usual order.
	await page.goto('/audit?attention=maybe&flag=__proto__&sort=password&order=sideways');
	await expect(rows).toHaveCount(total);
	await expect(page.getByLabel('Sort by')).toHaveValue('flags');
	await expect(page.getByLabel('Flag')).toHaveValue('');
});

test('a person has one colour: in “Here now”, in who wrote what, and in the history', async ({ browser }) => {
	const planId = await planIdOf('sam');
	const priya = await openPlanAs(browser, 'priya', planId);
	await priya.getByTestId('editor-hope').click();
	await priya.keyboard.press('Control+End');
	await priya.keyboard.type(' Priya wrote this with Sam.');
	await expect(priya.getByTestId('save-status')).toHaveText('All changes saved');

	const sam = await openPlanAs(browser, 'sam', planId);
	const dot = sam.getByTestId('presence-list').getByRole('listitem').filter({ hasText: 'Priya Shah' }).locator('.dot');
	await expect(dot).toBeVisible();
	const presenceColor = await dot.evaluate((element) => getComputedStyle(element).backgroundColor);
	await sam.getByTestId('authors-toggle').click();
	const swatch = sam.locator('#section-hope').getByTestId('share-bar').getByRole('listitem').filter({ hasText: 'Priya Shah' }).locator('.swatch');
	await expect(swatch).toBeVisible();
	expect(await swatch.evaluate((element) => getComputedStyle(element).borderTopColor)).toBe(presenceColor);
	// Her own carets and presence entry, on her own screen, are in the same colour.
	const ownDot = priya.getByTestId('presence-list').getByRole('listitem').filter({ hasText: 'Priya Shah' }).locator('.dot');
	expect(await ownDot.evaluate((element) => getComputedStyle(element).backgroundColor)).toBe(presenceColor);

	await sam.goto(`/plans/${planId}/history`);
	const historySwatch = sam.locator('[data-testid="history-session"][data-user="Priya Shah"] .swatch').first();
	await expect(historySwatch).toBeAttached();
	expect(await historySwatch.evaluate((element) => getComputedStyle(element).backgroundColor)).toBe(presenceColor);
	await priya.context().close();
	await sam.context().close();
});

test('Compare can show only what changed, and keeps that choice in its address', async ({ page }) => {
	const planId = await planIdOf('sam');
	await signIn(page, 'sam');
	await page.goto(`/plans/${planId}`);
	await expect(page.getByTestId('connection-status')).toHaveText('Connected');
	await page.getByTestId('editor-meaning').click();
	await page.keyboard.press('Control+End');
	await page.keyboard.press('Enter');
	await page.keyboard.type('Singing in the community choir.');
	await expect(page.getByTestId('save-status')).toHaveText('All changes saved');

	await page.goto(`/plans/${planId}/history`);
	await page.getByTestId('history-session').first().getByRole('link', { name: 'What changed' }).click();
	const meaning = page.getByTestId('version-section-meaning');
	await expect(meaning.locator('ins.change-added').first()).toBeVisible();
	const about = page.getByTestId('version-section-about');
	await expect(about).toBeVisible();

	await page.getByLabel('Show only what changed').check();
	await expect(page).toHaveURL(/[?&]show=changes(&|$)/);
	await expect(about).toBeHidden();
	await expect(meaning).toContainText('Singing in the community choir.');
	// Within the section, only the paragraphs with a change are left (Sam's earlier words today may be among them).
	const paragraphs = meaning.locator('.ProseMirror > *');
	for (const paragraph of await paragraphs.all()) {
		if ((await paragraph.locator('.change').count()) > 0) await expect(paragraph).toBeVisible();
		else await expect(paragraph).toBeHidden();
	}
	await expect(meaning.locator('.ProseMirror > *:visible').filter({ hasText: 'Singing in the community choir.' })).toHaveCount(1);

	await page.reload();
	await expect(page.getByLabel('Show only what changed')).toBeChecked();
	await expect(meaning.locator('ins.change-added').first()).toBeVisible();
	await expect(about).toBeHidden();
	await page.getByLabel('Show only what changed').uncheck();
	await expect(about).toBeVisible();
	await expect(page).not.toHaveURL(/show=changes/);
});

test('error pages say what happened, once: a missing page, and a sign-in link that does not work', async ({ page }) => {
	const missing = await page.goto('/no-such-page');
	expect(missing?.status()).toBe(404);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('We could not find that page');
	await expect(page.getByText('We could not find that page')).toHaveCount(1);
	await expect(page.getByText('It may have been moved')).toBeVisible();

	const link = await page.goto('/invite/not-a-real-link-token');
	expect(link?.status()).toBe(404);
	await expect(page).toHaveTitle('Link not recognised · Chorus');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Link not recognised');
	await expect(page.getByText('This link is not valid.', { exact: false })).toBeVisible();
});

test('dark mode follows the system setting', async ({ page }) => {
	await page.emulateMedia({ colorScheme: 'dark' });
	await signIn(page, 'sam');
	const colours = () =>
		page.evaluate(() => {
			const style = getComputedStyle(document.body);
			return { background: getComputedStyle(document.documentElement).backgroundColor, text: style.color };
		});
	expect(await colours()).toEqual({ background: 'rgb(18, 24, 22)', text: 'rgb(230, 235, 232)' });
	await page.emulateMedia({ colorScheme: 'light' });
	expect(await colours()).toEqual({ background: 'rgb(251, 250, 247)', text: 'rgb(31, 42, 46)' });
});
