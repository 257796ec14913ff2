import type { Browser, Locator, Page } from '@playwright/test';
import { addSession, expect, expectNoViolations, openPage, openSignedInPage, planIdOf, signIn, test } from './helpers';

// A record people can trust: a double click makes one version (with and without JavaScript), an older sign-in link
// stops working once a newer one was made and used, "Who has seen my plan" counts visits, and old versions that
// were never agreed say they were replaced instead of asking for agreement.

const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

async function markAgreedTwice(page: Page, planId: string, name: string): Promise<void> {
	await openPage(page, `/plans/${planId}/versions`);
	await page.getByLabel('Name (optional)').fill(name);
	await page.getByTestId('mark-agreed').dblclick();
}

test('a double click on “Mark as agreed” makes one version, in the page and on the server', async ({ browser }) => {
	const planId = await planIdOf('jordan');
	const jordan = await openSignedInPage(browser, 'jordan');
	const name = `Agreed once ${unique()}`;
	await markAgreedTwice(jordan, planId, name);
	await expect(jordan.getByTestId('versions-message')).toContainText('is saved with your agreement');
	const version = jordan.getByTestId('version').filter({ hasText: name });
	await expect(version).toHaveCount(1);
	await expect(version).toHaveAttribute('data-status', 'waiting');
	await expect(version.getByTestId('version-standing')).toHaveText('Waiting for a professional of the care team to agree.');
	await jordan.reload();
	await expect(jordan.getByTestId('version').filter({ hasText: name })).toHaveCount(1);
	// The form has a fresh key after success: agreeing again on purpose makes a new version.
	const again = `${name} again`;
	await jordan.getByLabel('Name (optional)').fill(again);
	await jordan.getByTestId('mark-agreed').click();
	await expect(jordan.getByTestId('version').filter({ hasText: again })).toHaveCount(1);
	// The first one was replaced by the second: it no longer asks anyone to agree.
	const replaced = jordan.getByTestId('version').filter({ hasText: name }).filter({ hasNotText: again });
	await expect(replaced).toHaveAttribute('data-status', 'replaced');
	await expect(replaced.getByRole('button', { name: 'I agree with this version' })).toHaveCount(0);
	await expectNoViolations(jordan, 'the versions page with a replaced version');
	await jordan.context().close();

	// Without JavaScript the browser sends the form twice; the server carries it out once.
	const plain = await browser.newContext({ javaScriptEnabled: false });
	await addSession(plain, 'jordan');
	const page = await plain.newPage();
	const plainName = `Agreed without scripts ${unique()}`;
	await markAgreedTwice(page, planId, plainName);
	await expect(page.getByTestId('versions-message')).toContainText('is saved with your agreement');
	await openPage(page, `/plans/${planId}/versions`);
	await expect(page.getByTestId('version').filter({ hasText: plainName })).toHaveCount(1);
	await plain.close();
});

async function linkFromPage(page: Page | Locator): Promise<string> {
	return (await page.getByTestId('one-time-link').textContent())!.trim();
}

async function choosePassword(browser: Browser, link: string, password: string): Promise<void> {
	const context = await browser.newContext();
	const page = await context.newPage();
	await openPage(page, link);
	await page.getByLabel('New password').fill(password);
	await page.getByLabel('Type it again').fill(password);
	await page.getByRole('button', { name: 'Save password and sign in' }).click();
	await expect(page).toHaveURL('/');
	await context.close();
}

test('an older sign-in link is refused once a newer one was made and used, saying calmly that it was replaced', async ({ browser, page }) => {
	const suffix = unique();
	const displayName = `Ash Moss ${suffix}`;
	await signIn(page, 'robin');
	await openPage(page, '/admin');
	const create = page.getByRole('region', { name: 'Create an account' });
	await create.getByLabel('Name', { exact: true }).fill(displayName);
	await create.getByLabel('Username', { exact: true }).fill(`ash-${suffix}`);
	await create.getByRole('button', { name: 'Create account' }).click();
	const older = await linkFromPage(create);
	await page.getByRole('button', { name: `New sign-in link for ${displayName}` }).click();
	await expect(page.getByTestId('one-time-link')).not.toHaveText(older);
	const newer = await linkFromPage(page);
	await choosePassword(browser, newer, 'my own words for a password');

	const context = await browser.newContext();
	const stale = await context.newPage();
	expect((await stale.goto(older))?.status()).toBe(410);
	await expect(stale.getByRole('heading', { level: 1, name: 'This link no longer works' })).toBeVisible();
	await expect(stale.getByText('This link has been replaced by a newer one, so it no longer works. Nothing is wrong with your account.')).toBeVisible();
	await expect(stale).toHaveTitle('This link no longer works · Chorus');
	await expect(stale.getByLabel('New password')).toHaveCount(0);
	await expectNoViolations(stale, 'the page of a replaced link');
	await context.close();
});

test('“Who has seen my plan” counts a visit once, however many forms were sent during it', async ({ browser }) => {
	const planId = await planIdOf('jordan');
	const priya = await openSignedInPage(browser, 'priya');
	await openPage(priya, `/plans/${planId}`);
	const jordan = await openSignedInPage(browser, 'jordan');
	await openPage(jordan, `/plans/${planId}`);
	const priyaSeen = jordan.getByTestId('who-has-seen').getByTestId('viewer').filter({ hasText: 'Priya Shah' });
	const before = (await priyaSeen.textContent())!;
	expect(before).toMatch(/— \d+ visits?, the last on/);
	expect(before).not.toMatch(/\b1 visits\b|times/);

	const details = priya.getByRole('region', { name: 'Plan details' });
	for (let press = 1; press <= 3; press++) {
		// Each press saves, then the page loads its data again (a look in the access log, within the same visit).
		const reloaded = priya.waitForResponse((response) => response.url().includes('/__data.json'));
		await details.getByRole('button', { name: 'Save details' }).click();
		await reloaded;
	}
	await jordan.reload();
	await expect(priyaSeen).toContainText('the last on');
	expect(visitsIn(await priyaSeen.textContent())).toBe(visitsIn(before));
	await priya.context().close();
	await jordan.context().close();
});

function visitsIn(text: string | null): number {
	return Number(/— (\d+) visits?/.exec(text ?? '')?.[1]);
}

test('Casey sees who opened her plan over the year, and its header says it was agreed', async ({ page }) => {
	const planId = await planIdOf('casey');
	await signIn(page, 'casey');
	await openPage(page, `/plans/${planId}`);
	const seen = page.getByTestId('who-has-seen');
	await expect(seen).not.toContainText('Nobody else has opened your plan yet');
	await expect(seen.getByTestId('viewer').filter({ hasText: 'Tom Becker' })).toContainText('visits');
	await expect(seen.getByTestId('viewer').filter({ hasText: 'Alex Morgan' })).toContainText('1 visit');
	await expect(page.getByTestId('plan-status')).toHaveText(/^(Agreed by both sides|Changed since it was agreed)$/);

	await openPage(page, `/plans/${planId}/versions`);
	const replaced = page.locator('[data-testid="version"][data-status="replaced"]');
	await expect(replaced.first()).toContainText('A newer version was saved before both sides agreed to this one');
	await expect(replaced.getByRole('button', { name: 'I agree with this version' })).toHaveCount(0);
	await expect(page.locator('[data-testid="version"][data-status="agreed"]')).toContainText('Agreed by Casey Brown on');
});
