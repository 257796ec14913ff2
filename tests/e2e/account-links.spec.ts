import type { Browser, Page } from '@playwright/test';
import { expect, expectNoViolations, openPage, signIn, signInThroughForm, submitSignIn, test } from './helpers';

// A sign-in link never silently replaces a working password: the person is told who made it and until when it
// works, and can cancel it; once one has been used, they are told at their next sign-in. A new account of its
// own, so no demo password changes.

/** Robin makes a new sign-in link for the person from the People page, and reads it off the page. */
async function newLinkFor(robin: Page, displayName: string): Promise<string> {
	await openPage(robin, '/admin');
	await robin.getByRole('button', { name: `New sign-in link for ${displayName}` }).click();
	await expect(robin.getByTestId('link-replaces-password')).toContainText(`${displayName} already has a password.`);
	return (await robin.getByTestId('one-time-link').textContent())!.trim();
}

/** Someone opens the link in a browser of their own and chooses this password; they are then signed in. */
async function useLink(browser: Browser, link: string, password: string): Promise<void> {
	const context = await browser.newContext();
	try {
		const page = await context.newPage();
		await openPage(page, link);
		await page.getByLabel('New password').fill(password);
		await page.getByLabel('Type it again').fill(password);
		await page.getByRole('button', { name: 'Save password and sign in' }).click();
		await expect(page).toHaveURL('/');
	} finally {
		await context.close();
	}
}

test('a person is told about a link for their account, cancels it, and is told at the next sign-in when one was used', async ({ page, browser }) => {
	const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
	const username = `rowan-${suffix}`;
	const displayName = `Rowan Vale ${suffix}`;

	// Robin creates the account; Rowan chooses a first password with its link.
	const robin = await (await browser.newContext()).newPage();
	await signIn(robin, 'robin');
	await openPage(robin, '/admin');
	const create = robin.getByRole('region', { name: 'Create an account' });
	await create.getByLabel('Name', { exact: true }).fill(displayName);
	await create.getByLabel('Username', { exact: true }).fill(username);
	await create.getByRole('button', { name: 'Create account' }).click();
	await useLink(browser, (await create.getByTestId('one-time-link').textContent())!.trim(), 'first words of my own');

	// Robin makes a reset link. Opened in Robin's own browser, it asks him to sign out first.
	const resetLink = await newLinkFor(robin, displayName);
	await robin.goto(resetLink);
	await expect(robin.getByRole('heading', { level: 1, name: 'Please sign out first' })).toBeVisible();
	await expect(robin.getByTestId('invite-signed-in')).toHaveText(
		'You are signed in as Robin Clarke, and this link is for someone else. Please sign out first, then open the link again. If the link is for you, open it on your own device.'
	);
	await expect(robin.getByLabel('New password')).toHaveCount(0);

	// Rowan signs in with the password Rowan chose, and is told about the link on the home page.
	await signInThroughForm(page, username, 'first words of my own');
	const openNotice = page.getByTestId('open-link-notice');
	await expect(openNotice).toContainText('Someone can set a new password for your account');
	await expect(openNotice).toContainText('Robin Clarke (Administrator) made a sign-in link for your account on');
	await expect(openNotice).toContainText('It works until');
	await expectNoViolations(page, 'the home page with a notice about an open link');
	// …and on the account page, where the link is listed.
	await openPage(page, '/account');
	await expect(openNotice).toBeVisible();
	const newest = page.getByTestId('account-links').getByRole('row').nth(1);
	await expect(newest).toContainText('Robin Clarke (Administrator)');
	await expect(newest).toContainText('Not used yet: it works until');
	await expectNoViolations(page, 'the account page with a notice about an open link');

	await openNotice.getByRole('button', { name: 'Cancel the link' }).click();
	await expect(page.getByTestId('link-notice-outcome')).toHaveText('The sign-in link is cancelled. It no longer works, and your password stays as it is.');
	await expect(openNotice).toHaveCount(0);
	await expect(newest).toContainText('Cancelled by you');

	const cancelled = await (await browser.newContext()).newPage();
	expect((await cancelled.goto(resetLink))?.status()).toBe(410);
	await expect(cancelled.getByRole('heading', { name: 'This link no longer works' })).toBeVisible();
	await expect(cancelled.getByText('This link was cancelled, so it no longer works.')).toBeVisible();
	await cancelled.context().close();

	// Robin makes another link, and someone uses it: Rowan's sessions end.
	await useLink(browser, await newLinkFor(robin, displayName), 'second words chosen');
	await page.reload();
	await expect(page).toHaveURL(/\/login/);

	// At Rowan's next sign-in, Rowan is told, with what to do if it was not Rowan.
	await openPage(page, '/login');
	await submitSignIn(page, username, 'second words chosen');
	const usedNotice = page.getByTestId('used-link-notice');
	await expect(usedNotice).toContainText('A sign-in link was used for your account');
	await expect(usedNotice).toContainText('a sign-in link was used to choose a new password for your account. Robin Clarke (Administrator) made the link on');
	await expect(usedNotice).toContainText('If it was not you, someone else may have used your account: change your password on My account now');
	await expectNoViolations(page, 'the home page with a notice about a used link');

	await usedNotice.getByRole('button', { name: 'I have read this' }).click();
	await expect(page.getByTestId('link-notice-outcome')).toContainText('The link stays listed');
	await expect(usedNotice).toHaveCount(0);
	await openPage(page, '/account');
	await expect(newest).toContainText('Used on');
	await expect(newest).toContainText('to choose a new password');
	await robin.context().close();
});
