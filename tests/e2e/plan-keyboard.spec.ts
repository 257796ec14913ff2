import type { Locator, Page } from '@playwright/test';
import { expect, openPlanAs, planIdOf, test } from './helpers';

// The plan page with a keyboard only: how many Tab presses things take, the toolbars (ARIA toolbar pattern), Esc,
// lists, and where the keyboard is after a step is removed. Lee's plan (care team: Noah); other files may have
// written in it first: the checks below depend only on what they set up themselves.
let planId: string;

test.beforeAll(async () => {
	planId = await planIdOf('lee');
});

/** What has the keyboard now: an element's test id, else its accessible-ish name (for messages). */
function focused(page: Page): Promise<string> {
	return page.evaluate(() => {
		const element = document.activeElement as HTMLElement | null;
		if (!element || element === document.body) return 'body';
		return element.dataset.testid ?? element.getAttribute('aria-label') ?? (element.textContent?.trim().slice(0, 40) || `${element.tagName} #${element.id}`);
	});
}

/** Presses Tab until the element has the keyboard; returns how many presses it took (fails after `limit`). */
async function tabsUntil(page: Page, target: Locator, limit: number): Promise<{ presses: number; path: string[] }> {
	const path: string[] = [];
	for (let presses = 1; presses <= limit; presses++) {
		await page.keyboard.press('Tab');
		path.push(await focused(page));
		if (await target.evaluate((element) => element === document.activeElement || element.contains(document.activeElement))) return { presses, path };
	}
	throw new Error(`Not reached in ${limit} Tab presses: ${path.join(' → ')}`);
}

async function startFromTop(page: Page): Promise<void> {
	await page.evaluate(() => {
		(document.activeElement as HTMLElement | null)?.blur();
		window.scrollTo(0, 0);
	});
}

const toolbarOf = (page: Page, section: string) => page.locator(`#section-${section} [role="toolbar"]`);

test('the first text box is a few Tab presses from the top of the page, and a section takes three or four', async ({ browser }) => {
	const lee = await openPlanAs(browser, 'lee', planId);
	await expect(lee.getByTestId('editor-about')).toBeVisible();
	await startFromTop(lee);
	// Skip link, the site's five (with Notifications), the plan's details, Jump to…, Show who wrote what, Keyboard, the
	// text (it was 28): the team's crisis contact (its number, "Who answers, and when") and the "what changed since"
	// links may add up to four.
	const toFirst = await tabsUntil(lee, lee.getByTestId('editor-about'), 17);
	expect(toFirst.presses, toFirst.path.join(' → ')).toBeLessThanOrEqual(15);
	expect(toFirst.path.slice(-4)).toEqual(['jump-toggle', 'authors-toggle', 'Keyboard', 'editor-about']);

	// A section without goals: its toolbar (one stop), its questions, the next text.
	const aboutToConnectedness = await tabsUntil(lee, lee.getByTestId('editor-connectedness'), 6);
	expect(aboutToConnectedness.path).toEqual(['Bold', 'questions-about', 'editor-connectedness']);

	// A CHIME domain without goals yet adds its "Add a goal" button (it was about 9 stops a section).
	await expect(lee.locator('#section-identity [data-goal]')).toHaveCount(0);
	await lee.getByTestId('editor-identity').focus();
	const identityToMeaning = await tabsUntil(lee, lee.getByTestId('editor-meaning'), 8);
	expect(identityToMeaning.path).toEqual(['Bold', 'questions-identity', 'Add a goal for identity', 'editor-meaning']);
	await lee.context().close();
});

test('a toolbar is one Tab stop: arrow keys, Home and End move along it, and Tab leaves it', async ({ browser }) => {
	const lee = await openPlanAs(browser, 'lee', planId);
	const toolbar = toolbarOf(lee, 'barriers');
	const button = (name: string) => toolbar.getByRole('button', { name, exact: true });
	await expect(toolbar).toHaveAttribute('aria-label', 'Formatting for What gets in the way, and what helps');
	await expect(toolbar.locator('button[tabindex="0"]')).toHaveCount(1);

	await lee.getByTestId('editor-barriers').focus();
	await lee.keyboard.press('Tab');
	await expect(button('Bold')).toBeFocused();
	await lee.keyboard.press('ArrowRight');
	await expect(button('Italic')).toBeFocused();
	await lee.keyboard.press('End');
	await expect(button('Undo my last change')).toBeFocused();
	await lee.keyboard.press('ArrowRight'); // round to the start
	await expect(button('Bold')).toBeFocused();
	await lee.keyboard.press('ArrowLeft'); // and back round to the end
	await expect(button('Undo my last change')).toBeFocused();
	await lee.keyboard.press('Home');
	await lee.keyboard.press('ArrowRight');
	await lee.keyboard.press('ArrowRight');
	await expect(button('Heading')).toBeFocused();
	// Still one Tab stop: the button last used.
	await expect(toolbar.locator('button[tabindex="0"]')).toHaveCount(1);
	await expect(button('Heading')).toHaveAttribute('tabindex', '0');

	await lee.keyboard.press('Tab');
	await expect(lee.getByTestId('questions-barriers')).toBeFocused();
	await lee.keyboard.press('Shift+Tab');
	await expect(button('Heading')).toBeFocused();
	await lee.keyboard.press('Shift+Tab');
	await expect(lee.getByTestId('editor-barriers')).toBeFocused();
	await lee.context().close();
});

test('Esc leaves the text for its toolbar and back; a toolbar button works from the keyboard', async ({ browser }) => {
	const lee = await openPlanAs(browser, 'lee', planId);
	const editor = lee.getByTestId('editor-hope');
	const bold = toolbarOf(lee, 'hope').getByRole('button', { name: 'Bold', exact: true });
	await editor.click();
	await lee.keyboard.press('Control+End');
	await lee.keyboard.type(' Hoping for spring.');
	await lee.keyboard.press('Escape');
	await expect(bold).toBeFocused();
	await lee.keyboard.press('Escape');
	await expect(editor).toBeFocused();
	// Back where the person was: typing goes on at the same place.
	await lee.keyboard.type(' And');
	await expect(editor).toContainText('Hoping for spring. And');

	await lee.keyboard.press('Escape');
	await lee.keyboard.press('Enter');
	await expect(editor).toBeFocused();
	await lee.keyboard.type(' more light');
	await expect(editor.locator('strong')).toContainText('more light');
	await expect(bold).toHaveAttribute('aria-pressed', 'true');
	await expect(lee.getByTestId('save-status')).toHaveText('All changes saved');
	await lee.context().close();
});

test('Tab in a list indents the item, and Esc then Tab moves on out of the text', async ({ browser }) => {
	const lee = await openPlanAs(browser, 'lee', planId);
	const editor = lee.getByTestId('editor-crisis');
	await editor.click();
	await lee.keyboard.press('Control+End');
	await lee.keyboard.press('Enter');
	await lee.keyboard.type('- call my sister');
	await lee.keyboard.press('Enter');
	await lee.keyboard.press('Tab');
	await lee.keyboard.type('her mobile first');
	await expect(editor.locator('ul li ul li')).toHaveText('her mobile first');
	await expect(editor).toBeFocused();

	await lee.keyboard.press('Escape');
	await expect(toolbarOf(lee, 'crisis').getByRole('button', { name: 'Bold', exact: true })).toBeFocused();
	await lee.keyboard.press('Tab');
	expect(await focused(lee)).not.toBe('editor-crisis');
	await expect(editor).not.toBeFocused();
	// That Tab moved on: it did not indent the item again.
	await expect(editor.locator('ul li ul li ul')).toHaveCount(0);
	await lee.context().close();
});

test('removing a step keeps the keyboard in place and can be undone; the keyboard is never dropped on the page', async ({ browser }) => {
	const lee = await openPlanAs(browser, 'lee', planId);
	const section = lee.locator('#section-empowerment');
	await section.getByRole('button', { name: 'Add a goal for empowerment' }).click();
	await lee.keyboard.type('Choose my own appointments');
	const goal = section.locator('[data-goal]').last();
	for (const words of ['Ask for the booking number', 'Write down three good times', 'Ring on Monday']) {
		await goal.getByRole('button', { name: 'Add a step' }).click();
		await lee.keyboard.type(words);
	}
	const steps = goal.locator('[data-step] textarea');
	await expect(steps).toHaveCount(3);

	// Remove the second: the keyboard goes to the step after it, which is now the second.
	await goal.getByRole('button', { name: 'Remove step 2' }).focus();
	await lee.keyboard.press('Enter');
	await expect(steps).toHaveCount(2);
	await expect(goal.getByLabel('Step 2', { exact: true })).toBeFocused();
	await expect(goal.getByLabel('Step 2', { exact: true })).toHaveValue('Ring on Monday');
	await expect(section.getByRole('status')).toHaveText('Step 2 removed.');

	// Undo brings it back where it was, with its words, and puts the keyboard on it.
	await goal.getByTestId('undo-remove-step').click();
	await expect(steps).toHaveCount(3);
	await expect
		.poll(() => steps.evaluateAll((fields) => fields.map((field) => (field as HTMLTextAreaElement).value)))
		.toEqual(['Ask for the booking number', 'Write down three good times', 'Ring on Monday']);
	await expect(goal.getByLabel('Step 2', { exact: true })).toBeFocused();
	await expect(section.getByRole('status')).toHaveText('Step 2 is back.');
	await expect(goal.getByTestId('undo-remove-step')).toHaveCount(0);

	// Removing the last step leaves the keyboard on "Add a step".
	await goal.getByRole('button', { name: 'Remove step 3' }).click();
	await expect(goal.getByRole('button', { name: 'Add a step' })).toBeFocused();
	await expect(steps).toHaveCount(2);

	// Removing a goal (after a confirmation) leaves it on the next goal, or on "Add a goal".
	lee.once('dialog', (dialog) => dialog.accept());
	await goal.getByRole('button', { name: 'Remove goal' }).click();
	await expect(section.locator('[data-goal]').filter({ hasText: 'Ring on Monday' })).toHaveCount(0);
	expect(await focused(lee)).not.toBe('body');
	await expect(section.getByRole('button', { name: 'Add a goal for empowerment' })).toBeFocused();
	await expect(lee.getByTestId('save-status')).toHaveText('All changes saved');

	// What the other side sees: the undone removal is there too, after a reload (it was saved).
	await lee.reload();
	await expect(lee.getByTestId('connection-status')).toHaveText('Connected');
	await expect(lee.locator('#section-empowerment textarea').filter({ hasText: 'Ring on Monday' })).toHaveCount(0);
	await lee.context().close();
});

test('the text boxes have the same strong focus ring as every other control', async ({ browser }) => {
	const lee = await openPlanAs(browser, 'lee', planId);
	const ring = (locator: Locator) =>
		locator.evaluate((element) => {
			const style = getComputedStyle(element);
			return { width: style.outlineWidth, style: style.outlineStyle, color: style.outlineColor };
		});
	await lee.getByTestId('editor-meaning').focus();
	await lee.keyboard.press('Tab');
	const button = await ring(toolbarOf(lee, 'meaning').getByRole('button', { name: 'Bold', exact: true }));
	expect(button).toMatchObject({ width: '3px', style: 'solid' });

	await lee.getByTestId('editor-meaning').click();
	const box = await ring(lee.locator('#section-meaning .section-editor'));
	expect(box).toEqual(button);
	await lee.getByTestId('jump-toggle').focus();
	await lee.keyboard.press('Shift+Tab');
	await lee.keyboard.press('Tab');
	expect(await ring(lee.getByTestId('jump-toggle'))).toEqual(button);
	await lee.context().close();
});
