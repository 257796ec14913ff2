import type { CDPSession, Page } from '@playwright/test';
import { eq } from 'drizzle-orm';
import { passkeyCredential, recoveryCode, user } from '../../db/schema/index.ts';
import { DEMO_PASSWORD, expect, expectNoViolations, openPage, submitSignIn, test } from './helpers';

// Passkeys in Chromium, with its virtual authenticator (CDP WebAuthn domain) standing in for a phone or a laptop's
// fingerprint reader. WebAuthn needs a host name as its relying-party id, not an address: these tests open the site
// as http://localhost:<port> (a secure context too), and the server, without ORIGIN, takes the origin the page was
// opened on. Only Morgan, whom no other browser test uses, gets a passkey (and recovery codes), removed at the end so
// that Morgan's next password sign-in asks for no second step in a later file.

const HOME = 'Hello, Morgan Reid';

/** The site as http://localhost:<port>. */
const localhost = (baseURL: string | undefined) => baseURL!.replace('127.0.0.1', 'localhost');

/** A platform authenticator that verifies the person (as a fingerprint would) and keeps passkeys on itself. */
async function addVirtualAuthenticator(page: Page): Promise<{ cdp: CDPSession; authenticatorId: string }> {
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('WebAuthn.enable');
	const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
		options: {
			protocol: 'ctap2',
			transport: 'internal',
			hasResidentKey: true,
			hasUserVerification: true,
			isUserVerified: true,
			automaticPresenceSimulation: true
		}
	});
	return { cdp, authenticatorId };
}

test.describe.configure({ mode: 'serial' });

test.afterAll(async ({ serverDatabase }) => {
	const db = await serverDatabase.db();
	const [morgan] = await db.select({ id: user.id }).from(user).where(eq(user.username, 'morgan'));
	await db.delete(passkeyCredential).where(eq(passkeyCredential.userId, morgan!.id));
	await db.delete(recoveryCode).where(eq(recoveryCode.userId, morgan!.id));
});

test('a person adds a passkey, then signs in with it alone, uses it as the second step and to confirm', async ({ page, baseURL }) => {
	const site = localhost(baseURL);
	const { cdp, authenticatorId } = await addVirtualAuthenticator(page);

	await openPage(page, `${site}/login`);
	await submitSignIn(page, 'morgan', DEMO_PASSWORD);
	await expect(page.getByRole('heading', { level: 1, name: HOME })).toBeVisible();

	// On the page of second steps, whose list of factors then shows it.
	await openPage(page, `${site}/account/security`);
	await expect(page.getByLabel('Name for this passkey')).toHaveValue('Passkey');
	await page.getByLabel('Name for this passkey').fill('My laptop');
	await page.getByRole('button', { name: 'Add a passkey' }).click();
	await expect(page.getByText('Your passkey “My laptop” is set up. Next time you can use it to sign in.')).toBeVisible();
	// The first second step comes with recovery codes, shown once.
	await expect(page.getByTestId('recovery-codes').getByRole('listitem')).toHaveCount(10);
	await expect(page.getByTestId('factors')).toContainText('My laptop');
	const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
	expect(credentials).toHaveLength(1);
	expect(credentials[0]).toMatchObject({ isResidentCredential: true, rpId: 'localhost' });
	await expectNoViolations(page, 'the page of second steps, after adding a passkey');

	await openPage(page, `${site}/account/security/passkey`);
	await expect(page.getByRole('heading', { level: 1, name: 'Add a passkey' })).toBeVisible();
	await expectNoViolations(page, 'the page to add a passkey');

	// Signed out, the passkey alone signs in: no username, no password.
	await page.context().clearCookies();
	await openPage(page, `${site}/login?next=${encodeURIComponent('/account')}`);
	await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
	await expect(page).toHaveURL(`${site}/account`);
	await expect(page.getByRole('heading', { level: 1, name: 'My account' })).toBeVisible();

	// With a passkey, a password sign-in is only the first step.
	await page.context().clearCookies();
	await openPage(page, `${site}/login`);
	await submitSignIn(page, 'morgan', DEMO_PASSWORD);
	await expect(page).toHaveURL(`${site}/login/verify`);
	await page.getByRole('button', { name: 'Use a passkey' }).click();
	await expect(page.getByRole('heading', { level: 1, name: HOME })).toBeVisible();

	await openPage(page, `${site}/login/confirm?next=${encodeURIComponent('/account')}`);
	await page.getByRole('button', { name: 'Use a passkey' }).click();
	await expect(page).toHaveURL(`${site}/account`);

	// The passkey's own page for confirming, for a link straight to it.
	await openPage(page, `${site}/login/confirm/passkey?next=${encodeURIComponent('/account/security')}`);
	await expect(page.getByRole('heading', { level: 1, name: 'Confirm it is you' })).toBeVisible();
	await page.getByRole('button', { name: 'Use a passkey' }).click();
	await expect(page).toHaveURL(`${site}/account/security`);
});

test('when the device uses no passkey, the person is told so calmly, and nothing is signed in', async ({ page, baseURL }) => {
	const site = localhost(baseURL);
	const { cdp, authenticatorId } = await addVirtualAuthenticator(page);
	await openPage(page, `${site}/login`);
	// This device holds no passkey of Chorus: the browser finds none to use.
	await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: false });
	await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
	await expect(page.getByText('Your device did not use a passkey. You can try again or use another way.')).toBeVisible({ timeout: 20_000 });
	await expect(page).toHaveURL(`${site}/login`);
	expect((await page.context().cookies()).find((cookie) => cookie.name === 'session')).toBeUndefined();
});

test('the passkey button is not offered where the browser has no passkeys', async ({ page, baseURL }) => {
	await page.addInitScript(() => {
		// @ts-expect-error a browser without WebAuthn
		delete window.PublicKeyCredential;
	});
	await openPage(page, `${localhost(baseURL)}/login`);
	await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
	await expect(page.getByRole('button', { name: 'Sign in with a passkey' })).toHaveCount(0);
});
