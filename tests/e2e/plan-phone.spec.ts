import type { Browser, Locator, Page } from '@playwright/test';
import { addSession, type DemoUsername, expect, expectNoHorizontalScroll, expectNoViolations, planIdOf, sectionText, test } from './helpers';

// The plan page on a phone (390×844) and on a laptop (1280×900): where the writing starts, the bar at the top,
// jump links, goal steps and the guiding questions. Sam's plan for the positions and questions, Lee's for goals.
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const LAPTOP = { viewport: { width: 1280, height: 900 } };

/** The words of a select's options. */
const optionsOf = (select: Locator) => select.evaluate((element) => [...(element as HTMLSelectElement).options].map((option) => option.text));

type Device = typeof PHONE | typeof LAPTOP;

/** Opens a plan as this person on this device, in a context of their own, connected for live writing. */
async function openPlanOn(browser: Browser, who: DemoUsername, planId: string, device: Device): Promise<Page> {
	const context = await browser.newContext(device);
	await addSession(context, who);
	const page = await context.newPage();
	await page.goto(`/plans/${planId}`);
	await expect(page.getByTestId('connection-status')).toHaveText('Connected');
	return page;
}

async function box(page: Page, selector: string) {
	const found = await page.locator(selector).first().boundingBox();
	if (!found) throw new Error(`${selector} is not on the page`);
	return found;
}

/** Opens "Jump to…" and follows one of its links; returns where the target's top is then, the bar's bottom, and whether the page is scrolled to its end. */
async function jumpTo(page: Page, link: string): Promise<{ top: number; barBottom: number; atEnd: boolean }> {
	await page.getByTestId('jump-toggle').click();
	const jump = page.getByRole('navigation', { name: 'Parts of the plan' }).getByRole('link', { name: link, exact: true });
	const target = (await jump.getAttribute('href'))!;
	await jump.click();
	await expect(page.getByRole('navigation', { name: 'Parts of the plan' })).toBeHidden();
	await expect(page.locator(target)).toBeInViewport();
	const bar = await box(page, '[data-testid="live-bar"]');
	const atEnd = await page.evaluate(() => window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 1);
	return { top: (await box(page, target)).y, barBottom: bar.y + bar.height, atEnd };
}

for (const [device, size] of [
	['a phone', PHONE],
	['a laptop', LAPTOP]
] as const) {
	test.describe(`on ${device}`, () => {
		test('the first text box is on the first screen, under a small opaque bar, with jump links to everything', async ({ browser }) => {
			const sam = await openPlanOn(browser, 'sam', await planIdOf('sam'), size);
			const screen = size.viewport.height;

			// Was 1,850 px down on a phone. The whole text box (6 rem tall) is on the first screen.
			const editor = await box(sam, '[data-testid="editor-about"]');
			expect(editor.y + editor.height, `the first text box ends ${editor.y + editor.height} px down`).toBeLessThanOrEqual(screen);
			await expect(sam.getByTestId('editor-about')).toBeInViewport({ ratio: 1 });
			// For a professional, whose summary also names the person (and who has the team's crisis contact above it too),
			// the first text box starts on the first screen with room for a few lines.
			const priya = await openPlanOn(browser, 'priya', await planIdOf('sam'), size);
			await expect(priya.getByText('Whose plan')).toBeVisible();
			const priyaEditor = await box(priya, '[data-testid="editor-about"]');
			expect(priyaEditor.y, `Priya's first text box starts ${priyaEditor.y} px down`).toBeLessThanOrEqual(screen - 60);
			await priya.context().close();

			// The bar was 106 px and see-through.
			const bar = await box(sam, '[data-testid="live-bar"]');
			expect(bar.height).toBeLessThanOrEqual(60);
			const background = await sam.getByTestId('live-bar').evaluate((element) => getComputedStyle(element).backgroundColor);
			expect(background, 'the bar is opaque').toMatch(/^rgb\(/);
			await expectNoHorizontalScroll(sam);

			// The plan's details wait behind one disclosure.
			await expect(sam.getByTestId('care-team')).toBeHidden();
			await sam.getByText('Care team, history, a copy').click();
			await expect(sam.getByTestId('care-team')).toContainText('Priya Shah');
			await expect(sam.getByRole('link', { name: 'History: who changed what' })).toBeVisible();

			// Jump links: each lands just under the bar (not hidden by it), which stays at the top.
			for (const link of ['Who has seen my plan', 'Appointments', 'Goals', 'If things get difficult']) {
				const { top, barBottom, atEnd } = await jumpTo(sam, link);
				expect(top, `${link}: its top is under the bar`).toBeGreaterThanOrEqual(barBottom - 1);
				if (!atEnd) expect(top, `${link}: it comes straight after the bar`).toBeLessThan(barBottom + 80);
				expect((await box(sam, '[data-testid="live-bar"]')).y).toBe(0);
			}
			// Esc closes the list and gives the keyboard back to its button.
			await sam.getByTestId('jump-toggle').click();
			await expect(sam.getByRole('navigation', { name: 'Parts of the plan' })).toBeVisible();
			await sam.keyboard.press('Escape');
			await expect(sam.getByRole('navigation', { name: 'Parts of the plan' })).toBeHidden();
			await expect(sam.getByTestId('jump-toggle')).toBeFocused();
			await sam.context().close();
		});

		test('the plan page, with its lists and help open, meets WCAG 2.2 AA automated checks', async ({ browser }) => {
			test.setTimeout(60_000); // two full axe runs on the longest page
			const jordan = await openPlanOn(browser, 'jordan', await planIdOf('jordan'), size);
			await jordan.getByRole('button', { name: 'Add a goal for meaning in life' }).click();
			await jordan.keyboard.type('Join the repair café');
			await jordan.locator('#section-meaning [data-goal]').last().getByRole('button', { name: 'Add a step' }).click();
			await jordan.keyboard.type('Find out when it meets');
			await jordan.getByTestId('keyboard-help').locator('summary').click();
			await jordan.getByText('Care team, history, a copy').click();
			await expectNoViolations(jordan, `the plan page on ${device}, details open`);
			await jordan.getByTestId('jump-toggle').click();
			await expectNoViolations(jordan, `the plan page on ${device}, jump links open`);
			await jordan.context().close();
		});
	});
}

test.describe('goal steps', () => {
	test('say who and when with visible labels, in the reader’s own words, and their fields grow with the words', async ({ browser }) => {
		const planId = await planIdOf('lee');
		const lee = await openPlanOn(browser, 'lee', planId, PHONE);
		const section = lee.locator('#section-connectedness');
		await section.getByRole('button', { name: 'Add a goal for connectedness' }).click();
		await lee.keyboard.type('Meet the allotment group');
		const goal = section.locator('[data-goal]').last();
		await goal.getByRole('button', { name: 'Add a step' }).click();
		const step = goal.locator('[data-step]').last();

		// Every label is on screen (not only read out), and says which step it belongs to.
		for (const field of ['what', 'done', 'who', 'when']) {
			const label = step.locator(`label[for$="-${field}"]`);
			await expect(label).toBeVisible();
			expect((await label.boundingBox())!.width, `the ${field} label is visible`).toBeGreaterThan(20);
		}
		const what = step.getByLabel('Step 1', { exact: true });
		const who = step.getByLabel('Who does step 1');
		await expect(step.getByLabel('By when: step 1')).toBeVisible();
		await expect(step.getByLabel('Done: step 1')).toBeVisible();
		expect(await optionsOf(who)).toEqual(['Me', 'My worker', 'Someone else']);

		await expect(what).toBeFocused();
		const oneLine = (await what.boundingBox())!.height;
		await lee.keyboard.type('Ask at the library whether the allotment group still meets on Saturday mornings, and who runs it now');
		await expect.poll(async () => (await what.boundingBox())!.height, 'the step grows as Lee types').toBeGreaterThan(oneLine * 1.5);
		await who.selectOption('worker');
		await expect(lee.getByTestId('save-status')).toHaveText('All changes saved');

		// Noah, a professional, reads the same step with Lee named and himself as "Me".
		const noah = await openPlanOn(browser, 'noah', planId, PHONE);
		const noahStep = noah.locator(`[data-step="${await step.getAttribute('data-step')}"]`);
		await expect(noahStep.getByLabel('Who does step 1')).toHaveValue('worker');
		expect(await optionsOf(noahStep.getByLabel('Who does step 1'))).toEqual(['Lee Novak', 'Me (Lee Novak’s worker)', 'Someone else']);

		// A goal's words grow too, also when someone else's typing makes them longer.
		const goalWords = goal.locator('textarea').first();
		const before = (await goalWords.boundingBox())!.height;
		const noahGoal = noah.locator(`[data-goal="${await goal.getAttribute('data-goal')}"] textarea`).first();
		await noahGoal.click();
		await noah.keyboard.press('Control+End');
		await noah.keyboard.type(', and go with them to the spring seed swap at the community centre on the first Saturday of April');
		await expect(goalWords).toHaveValue(/seed swap/);
		await expect.poll(async () => (await goalWords.boundingBox())!.height, 'Lee’s field grows with Noah’s words').toBeGreaterThan(before);
		await expectNoHorizontalScroll(lee);
		await lee.context().close();
		await noah.context().close();
	});
});

test('the guiding questions stay for whoever reads them when someone else starts writing, and can always be opened', async ({ browser }) => {
	const planId = await planIdOf('sam');
	const sam = await openPlanOn(browser, 'sam', planId, LAPTOP);
	const questions = sam.getByTestId('questions-hope');
	const prompts = sam.locator('#section-hope-prompts');
	expect(await sectionText(sam, 'hope'), 'Sam’s Hope section is empty when this test starts').toBe('');
	await expect(questions).toHaveAttribute('aria-expanded', 'true');
	await expect(prompts).toContainText('What gives me hope?');
	await expect(sam.getByTestId('editor-hope')).toHaveAttribute('aria-describedby', 'section-hope-prompts');

	const priya = await openPlanOn(browser, 'priya', planId, PHONE);
	await priya.getByTestId('editor-hope').click();
	await priya.keyboard.type('Sam is looking forward to the football season.');
	await expect(sam.getByTestId('editor-hope')).toContainText('football season');
	// Sam still has the questions in front of him.
	await expect(prompts).toBeVisible();

	await questions.click();
	await expect(questions).toHaveAttribute('aria-expanded', 'false');
	await expect(prompts).toBeHidden();
	await expect(sam.getByTestId('editor-hope')).not.toHaveAttribute('aria-describedby', /./);

	// For someone who opens the plan once there are words, the questions start folded, and are one press away.
	await priya.reload();
	const priyaQuestions = priya.getByTestId('questions-hope');
	await expect(priyaQuestions).toHaveAttribute('aria-expanded', 'false');
	await priyaQuestions.click();
	await expect(priya.locator('#section-hope-prompts')).toContainText('What am I looking forward to?');
	await sam.context().close();
	await priya.context().close();
});
