import { eq } from 'drizzle-orm';
import { findAccountByUsername } from '../../db/accounts.ts';
import { seal } from '../../db/secret-box.ts';
import { totpCredential, user } from '../../db/schema/index.ts';
import { TEST_SIGN_IN_ENV } from '../helpers/e2e-server-env.ts';
import { DEMO_PASSWORD, expect, expectNoViolations, openPage, signIn, submitSignIn, test } from './helpers';

// A lost phone: an administrator resets the person's second factors, after a plain question. The person is signed
// out and, at their next sign-in, can only set up a new one, told why.

test('an administrator resets a person’s second factors after a plain question; the person must set up a new one', async ({
	browser,
	page,
	serverDatabase
}) => {
	const db = await serverDatabase.db();
	const lee = (await findAccountByUsername(db, 'lee'))!;
	const key = Buffer.from(TEST_SIGN_IN_ENV.ENCRYPTION_KEY, 'base64');
	await db.insert(totpCredential).values({ userId: lee.id, sealedKey: seal(key, new Uint8Array(20).fill(4)), confirmedAt: new Date() });
	try {
		await signIn(page, 'robin');
		await openPage(page, '/admin');
		const reset = page.getByRole('button', { name: 'Reset the second factors of Lee Novak' });
		await expect(reset).toHaveAttribute('aria-expanded', 'false');
		await reset.click();
		await expect(reset).toHaveAttribute('aria-expanded', 'true');
		const question = page.getByRole('form', { name: /Reset the second factors of Lee Novak\?/ });
		await expect(question).toContainText('They will be signed out, and will have to set up a new second factor the next time they sign in.');
		const yes = question.getByRole('button', { name: 'Yes, reset them' });
		await expect(yes).toBeFocused();
		await expectNoViolations(page, 'the question before resetting someone’s second factors');
		// Cancel first: nothing happens, and focus goes back to the button.
		await question.getByRole('button', { name: 'Cancel' }).click();
		await expect(question).toHaveCount(0);
		await expect(reset).toBeFocused();

		await reset.click();
		await page.getByRole('button', { name: 'Yes, reset them' }).click();
		await expect(page.getByText('Lee Novak’s second factors are reset and they have been signed out.')).toBeVisible();
		await expect(page.getByRole('button', { name: 'Reset the second factors of Lee Novak' })).toHaveCount(0);
		const [account] = await db.select({ resetAt: user.secondFactorResetAt }).from(user).where(eq(user.id, lee.id));
		expect(account!.resetAt).toBeInstanceOf(Date);

		// Lee signs in with the password: only setting up a new factor is open, and Lee is told why.
		const context = await browser.newContext();
		const leePage = await context.newPage();
		await openPage(leePage, '/login');
		await submitSignIn(leePage, 'lee', DEMO_PASSWORD);
		await expect(leePage).toHaveURL(/\/account\/security$/);
		await expect(leePage.getByTestId('reset-notice')).toContainText('An administrator removed your previous second step');
		await leePage.goto('/');
		await expect(leePage).toHaveURL(/\/account\/security$/);
		await context.close();
	} finally {
		await db.delete(totpCredential).where(eq(totpCredential.userId, lee.id));
		await db.update(user).set({ secondFactorResetAt: null }).where(eq(user.id, lee.id));
	}
});
