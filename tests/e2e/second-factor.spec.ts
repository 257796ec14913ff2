import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { authenticatorCode, timeStep } from '../../server/second-factor-codes.ts';
import { expect, expectNoViolations, signInThroughForm, submitSignIn, test } from './helpers';

test.describe.configure({ mode: 'serial' });

// An authenticator app, set up and used in the browser, by a professional no other browser test signs in with a
// password (Noah). The codes are computed here from the key the page shows, as the person's app would.

test('a professional sets up an authenticator app, keeps the recovery codes, and is asked for a code at the next sign-in', async ({ page }) => {
	await signInThroughForm(page, 'noah');
	await page.getByRole('link', { name: 'Account' }).click();
	await page.getByRole('link', { name: 'Manage your second step' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Second step at sign-in' })).toBeVisible();
	await expect(page.getByText('You sign in with your password only.')).toBeVisible();
	await expectNoViolations(page, 'the second step page');

	await page.getByRole('link', { name: 'Set up an authenticator app' }).click();
	await expect(page.getByRole('img', { name: 'QR code to add Chorus to your authenticator app' })).toBeVisible();
	await expectNoViolations(page, 'setting up an authenticator app');
	const key = decodeBase32IgnorePadding((await page.getByTestId('authenticator-key').innerText()).replaceAll(/\s/g, ''));

	// A wrong code first: a calm message, and the same code to scan stays.
	await page.getByLabel('Code from your authenticator app').fill('000000');
	await page.getByRole('button', { name: 'Finish setting up' }).click();
	await expect(page.getByRole('alert')).toContainText('That code did not work');
	const step = timeStep();
	await page.getByLabel('Code from your authenticator app').fill(authenticatorCode(key, step));
	await page.getByRole('button', { name: 'Finish setting up' }).click();
	await expect(page.getByTestId('authenticator-added')).toBeVisible();
	const codes = page.getByTestId('recovery-codes').locator('code');
	await expect(codes).toHaveCount(10);
	await expectNoViolations(page, 'the recovery codes');
	await page.getByRole('link', { name: 'Back to second step at sign-in' }).click();
	await expect(page.getByTestId('factors')).toContainText('Authenticator app');

	// Signed out and in again: the password alone is not enough.
	await page.getByRole('button', { name: 'Sign out' }).click();
	await submitSignIn(page, 'noah', 'chorus-demo');
	await expect(page).toHaveURL('/login/verify');
	await expect(page.getByRole('heading', { level: 1, name: 'One more step to sign in' })).toBeVisible();
	await expectNoViolations(page, 'the second step at sign-in');
	await page.goto('/');
	await expect(page).toHaveURL('/login/verify');
	await page.getByLabel('Code from your authenticator app, or a recovery code').fill(authenticatorCode(key, step + 1));
	await page.getByRole('button', { name: 'Continue' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'My caseload' })).toBeVisible();
});

test('someone who gave their password but not the second step can only sign out', async ({ page }) => {
	await page.goto('/login');
	await submitSignIn(page, 'noah', 'chorus-demo');
	await expect(page).toHaveURL('/login/verify');
	await expect(page.getByRole('navigation')).toHaveCount(0);
	await page.getByRole('button', { name: 'Sign out' }).click();
	await expect(page).toHaveURL('/login');
	await page.goto('/account');
	await expect(page).toHaveURL('/login?next=%2Faccount');
});
