import { execFileSync } from 'node:child_process';
import type { Page } from '@playwright/test';
import { expect, expectNoViolations, openPage, openPlanAs, planIdOf, test, typeAtEndOf } from './helpers';

// A copy to keep: the print view of the plan and of an agreed version, and the crisis card on one page or folded
// for a wallet, printed to PDF by Chromium as a person's browser would and read back with poppler (pdftotext,
// pdfinfo). On paper: the plan's words in order, who agreed and when, "Printed on", and nothing to press.

const GERMAN = 'Grüße an Jürgen, Spaß beim Straßenfest, Ölmalerei.';
const SECTIONS_IN_ORDER = [
	'About me',
	'Connectedness',
	'Hope and optimism',
	'Identity',
	'Meaning in life',
	'Empowerment',
	'What gets in the way, and what helps',
	'If things get difficult',
	'Care team'
];

/**
 * The page printed to PDF (A4, with its print stylesheet) and read back: the words in the order they are drawn (which
 * is the page's order; pdftotext's reading order would mix the wallet card's side-by-side panels line by line), and
 * how many pages.
 */
async function printed(page: Page): Promise<{ text: string; pages: number }> {
	const pdf = await page.pdf({ format: 'A4', printBackground: true });
	const text = execFileSync('pdftotext', ['-raw', '-', '-'], { input: pdf, encoding: 'utf8' }).replace(/\s+/g, ' ');
	const info = execFileSync('pdfinfo', ['-'], { input: pdf, encoding: 'utf8' });
	return { text, pages: Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]) };
}

/** On paper (print media) there is nothing to press or follow: no site header, no skip link, no Print button. */
async function expectNothingToPressOnPaper(page: Page): Promise<void> {
	await page.emulateMedia({ media: 'print' });
	await expect(page.locator('.site-header')).toBeHidden();
	await expect(page.getByTestId('print-button')).toBeHidden();
	await expect(page.getByRole('link', { name: 'Back to the plan' })).toBeHidden();
	// Back to no emulation: page.pdf() then prints with the print stylesheet, as a browser's Print does.
	await page.emulateMedia({ media: null });
	await expect(page.getByTestId('print-button')).toBeVisible();
}

function expectInOrder(text: string, words: string[]): void {
	const positions = words.map((word) => text.indexOf(word));
	expect(positions.filter((position) => position < 0).length, `missing from the printed text: ${words.filter((_, i) => positions[i]! < 0).join(', ')}`).toBe(0);
	expect(positions, 'the printed order').toEqual([...positions].sort((a, b) => a - b));
}

test('the plan prints with every section in order, its goals, who agreed, the review date and German letters, and nothing to press', async ({ browser }) => {
	const planId = await planIdOf('casey');
	const casey = await openPlanAs(browser, 'casey', planId);
	await typeAtEndOf(casey, 'hope', ` ${GERMAN}`);
	await casey.getByTestId('plan-more').locator('summary').click();
	await casey.getByTestId('print-link').click();
	await expect(casey).toHaveURL(`/plans/${planId}/print`);
	const view = casey.getByTestId('print-view');
	await expect(view.getByRole('heading', { level: 1 })).toHaveText('Casey’s recovery plan');
	await expect(casey.getByTestId('print-version')).toHaveText('The plan as it is now');
	await expect(casey.getByTestId('printed-on')).toContainText('Printed on');
	await expectNoViolations(casey, 'the print view of the plan');
	await expectNothingToPressOnPaper(casey);

	const { text } = await printed(casey);
	expectInOrder(text, SECTIONS_IN_ORDER);
	expectInOrder(text, [
		'Hope and optimism',
		'Cook a meal for ten people at my niece’s party',
		'Meaning in life',
		'Volunteer at the community kitchen one morning a week'
	]);
	expect(text).toContain(GERMAN);
	expect(text).toContain('Last agreed version: “Our plan for the winter”.');
	expect(text).toMatch(/Tom Becker \([^)]*\) agreed on/);
	expect(text).toMatch(/Casey Brown \([^)]*\) agreed on/);
	expect(text).toMatch(/Review date: |No review date/);
	expect(text).toContain('Printed on');
	expect(text).toContain('Early signs: I stop eating and stay in bed.');
	for (const button of ['Download as PDF', 'Back to the plan', 'Skip to main content']) expect(text).not.toContain(button);
	await casey.context().close();
});

test('an agreed version prints as it was agreed, without what was written since', async ({ browser }) => {
	const planId = await planIdOf('casey');
	const casey = await openPlanAs(browser, 'casey', planId);
	await openPage(casey, `/plans/${planId}/versions`);
	const version = casey.getByTestId('version').filter({ hasText: 'Our plan for the winter' });
	await version.getByTestId('version-print').click();
	await expect(casey).toHaveURL(new RegExp(`/plans/${planId}/print\\?version=`));
	await expect(casey.getByTestId('print-version')).toHaveText('Version: Our plan for the winter');
	await expect(casey.getByTestId('print-answers').getByRole('listitem')).toHaveCount(2);
	await expectNoViolations(casey, 'the print view of an agreed version');

	const { text } = await printed(casey);
	expectInOrder(text, SECTIONS_IN_ORDER);
	expect(text).toContain('Version: Our plan for the winter');
	expect(text).toContain('I am a cook, a sister and an auntie, not a diagnosis.');
	expect(text).not.toContain(GERMAN);
	await casey.context().close();
});

test('the crisis card is the person’s own words and who to contact, on one page and folded for a wallet', async ({ browser }) => {
	const planId = await planIdOf('casey');
	const casey = await openPlanAs(browser, 'casey', planId);
	await casey.getByTestId('plan-more').locator('summary').click();
	await casey.getByTestId('crisis-card-link').click();
	await expect(casey).toHaveURL(`/plans/${planId}/crisis-card`);
	const card = casey.getByTestId('crisis-card');
	await expect(card).toHaveAttribute('data-layout', 'page');
	await expect(card.getByRole('heading', { level: 1 })).toHaveText('If things get difficult');
	await expect(casey.getByTestId('crisis-card-words')).toContainText('What helps: a call from Ama, a walk by the river.');
	await expect(casey.getByTestId('crisis-card-contact')).toContainText('01632 960 123');
	await expectNoViolations(casey, 'the crisis card');
	await expectNothingToPressOnPaper(casey);
	const page = await printed(casey);
	expect(page.pages).toBe(1);
	expectInOrder(page.text, ['If things get difficult', 'Early signs: I stop eating and stay in bed.', 'Who to contact', '01632 960 123']);

	await casey.getByRole('link', { name: 'Wallet card' }).click();
	await expect(card).toHaveAttribute('data-layout', 'wallet');
	await expect(card.getByRole('region')).toHaveCount(2);
	await expectNoViolations(casey, 'the crisis card folded for a wallet');
	const wallet = await printed(casey);
	expect(wallet.pages).toBe(1);
	expect(wallet.text).toContain('01632 960 123');
	expect(wallet.text).toContain('What helps: a call from Ama, a walk by the river.');
	await casey.context().close();
});
