import type { Browser, Page } from '@playwright/test';
import { m } from '../../src/lib/paraglide/messages.js';
import { addSession, type DemoUsername, expect, planIdOf, sectionText, test, typeAtEndOf } from './helpers';

// Two people in one plan, each in their own language: what one sees of the other (who is here, what they changed)
// is said in the reader's words. And changing language never loses what was typed.

type Locale = 'en' | 'de';
const BROWSER_LOCALE: Record<Locale, string> = { en: 'en-GB', de: 'de-DE' };

let planId: string;
test.beforeAll(async () => {
	planId = await planIdOf('casey');
});

/** A browser of this person's whose languages are `locale`'s, on their plan, connected for writing. */
async function openPlanIn(browser: Browser, who: DemoUsername, locale: Locale): Promise<Page> {
	const context = await browser.newContext({ locale: BROWSER_LOCALE[locale] });
	await addSession(context, who);
	const page = await context.newPage();
	await page.goto(`/plans/${planId}`);
	await expect(page.locator('html')).toHaveAttribute('lang', locale);
	await expect(page.getByTestId('connection-status')).toHaveText(m.connection_connected({}, { locale }));
	return page;
}

/** Types at the end of a section and waits until it is saved, as the page says it in its language. */
const typeInto = (page: Page, section: string, words: string, locale: Locale) => typeAtEndOf(page, section, words, m.saving_all_saved({}, { locale }));

test('two people in one plan, in German and in English, each see the other and the history in their own language', async ({ browser }) => {
	const casey = await openPlanIn(browser, 'casey', 'de');
	const tom = await openPlanIn(browser, 'tom', 'en');

	// Who is here: Tom is a nurse to Casey, in German; Casey is a person using services to Tom, in English.
	await expect(casey.getByTestId('presence-list')).toContainText('Tom Becker');
	await expect(casey.getByTestId('presence-list')).toContainText(m.discipline_nurse({}, { locale: 'de' }));
	await expect(tom.getByTestId('presence-list')).toContainText('Casey Brown');
	await expect(tom.getByTestId('presence-list')).toContainText(m.role_service_user({}, { locale: 'en' }));
	await expect(casey.locator('#section-identity h2')).toHaveText(m.section_identity_title({}, { locale: 'de' }));
	await expect(tom.locator('#section-identity h2')).toHaveText(m.section_identity_title({}, { locale: 'en' }));

	// Each writes; each reads the other's words as written (content is never translated).
	await typeInto(casey, 'identity', ' Ich male gern.', 'de');
	await expect.poll(() => sectionText(tom, 'identity')).toContain('Ich male gern.');
	await typeInto(tom, 'identity', ' Painting group on Thursdays.', 'en');
	await expect.poll(() => sectionText(casey, 'identity')).toContain('Painting group on Thursdays.');

	// The history of the same changes, in each reader's words.
	for (const [page, locale] of [
		[casey, 'de'],
		[tom, 'en']
	] as const) {
		await page.goto(`/plans/${planId}/history`);
		await expect(page.locator('html')).toHaveAttribute('lang', locale);
		const latest = page.getByTestId('history-session').first();
		await expect(latest).toContainText(m.section_identity_title({}, { locale }));
		await expect(page.getByTestId('history-sessions')).toContainText('Casey Brown');
		await expect(page.getByTestId('history-sessions')).toContainText('Tom Becker');
	}
	await expect(casey.getByRole('heading', { level: 1 })).not.toHaveText(await tom.getByRole('heading', { level: 1 }).innerText());

	await casey.context().close();
	await tom.context().close();
});

test('changing language on the account page keeps what was typed, here and in a plan open in another tab', async ({ browser }) => {
	const context = await browser.newContext({ locale: 'en-GB' });
	await addSession(context, 'casey');
	const plan = await context.newPage();
	await plan.goto(`/plans/${planId}`);
	await expect(plan.getByTestId('connection-status')).toHaveText(m.connection_connected({}, { locale: 'en' }));
	await typeInto(plan, 'about', ' I like mornings.', 'en');

	// In another tab, Casey chooses German.
	const account = await context.newPage();
	await account.goto('/account');
	await account.getByLabel('Language', { exact: true }).selectOption('de');
	await account.getByRole('button', { name: 'Change language' }).click();
	await expect(account.locator('html')).toHaveAttribute('lang', 'de');
	await expect(account.getByTestId('language-choice').getByRole('status')).toHaveText(m.language_saved({}, { locale: 'de' }));

	// The open plan goes on writing and saving, in the language it was opened in.
	await typeInto(plan, 'about', ' And long walks.', 'en');
	// Opened again, it is in German, with everything typed before and after the change.
	await plan.reload();
	await expect(plan.locator('html')).toHaveAttribute('lang', 'de');
	await expect(plan.getByTestId('connection-status')).toHaveText(m.connection_connected({}, { locale: 'de' }));
	await expect.poll(() => sectionText(plan, 'about')).toContain('I like mornings. And long walks.');

	// Back to English, for the tests after this one.
	await account.getByLabel(m.language_label({}, { locale: 'de' }), { exact: true }).selectOption('en');
	await account.getByRole('button', { name: m.language_change({}, { locale: 'de' }) }).click();
	await expect(account.locator('html')).toHaveAttribute('lang', 'en');
	await context.close();
});

test('the sign-in page’s switch changes this device’s language before anyone signs in', async ({ browser }) => {
	const context = await browser.newContext({ locale: 'en-GB' });
	const page = await context.newPage();
	await page.goto('/login?next=%2Faccount');
	await page.getByLabel('Language', { exact: true }).selectOption('de');
	await page.getByRole('button', { name: 'Change language' }).click();
	await expect(page).toHaveURL(/\/login\?next=%2Faccount$/);
	await expect(page.locator('html')).toHaveAttribute('lang', 'de');
	await expect(page.getByRole('button', { name: m.language_change({}, { locale: 'de' }) })).toBeVisible();
	await context.close();
});
