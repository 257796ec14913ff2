import { expect, openPage, signIn, submitSignIn, test } from './helpers';

// An administrator creates an account with a one-time link; the person opens it in their own browser, chooses a
// password and is signed in. The link works once.

test('a new service user sets their own password with a one-time link, once', async ({ page, browser }) => {
	const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
	const username = `casey-${suffix}`;
	const displayName = `Casey Brook ${suffix}`;
	const password = 'quiet river morning walk';

	// The administrator creates the account: it always comes with a one-time link, never a password.
	await signIn(page, 'robin');
	await openPage(page, '/admin');
	const create = page.getByRole('region', { name: 'Create an account' });
	await create.getByLabel('Name', { exact: true }).fill(displayName);
	await create.getByLabel('Username', { exact: true }).fill(username);
	await expect(create.getByLabel('Role')).toHaveValue('service_user');
	await create.getByLabel('Team').selectOption({ label: 'Riverside Community Mental Health Team' });
	await expect(create.getByLabel(/password/i)).toHaveCount(0);
	await create.getByRole('button', { name: 'Create account' }).click();

	await expect(create.getByText(`Account created for ${displayName}.`)).toBeVisible();
	const linkText = create.getByTestId('one-time-link');
	await expect(linkText).toHaveText(/\/invite\/\S+$/);
	const link = (await linkText.textContent())!.trim();
	expect(new URL(link).origin).toBe(new URL(page.url()).origin);
	const row = page.getByRole('row').filter({ hasText: username });
	await expect(row).toContainText('Not signed in yet');

	// The new person opens the link in their own browser.
	const theirs = await browser.newContext();
	try {
		const invitee = await theirs.newPage();
		await openPage(invitee, link);
		await expect(invitee.getByRole('heading', { level: 1, name: `Welcome, ${displayName}` })).toBeVisible();
		await expect(invitee.getByText(`Your username is ${username}.`)).toBeVisible();
		await expect(invitee.getByTestId('invite-made-by')).toContainText('Robin Clarke (Administrator) made this link on');

		// Two different passwords are caught first, without using up the link.
		await invitee.getByLabel('New password').fill(password);
		await invitee.getByLabel('Type it again').fill(`${password} and more`);
		await invitee.getByRole('button', { name: 'Save password and sign in' }).click();
		await expect(invitee.getByRole('alert')).toHaveText('The two passwords are not the same. Please type them again.');

		await invitee.getByLabel('New password').fill(password);
		await invitee.getByLabel('Type it again').fill(password);
		await invitee.getByRole('button', { name: 'Save password and sign in' }).click();
		await expect(invitee).toHaveURL('/');
		await expect(invitee.getByRole('heading', { level: 1, name: `Hello, ${displayName}` })).toBeVisible();
		await expect(invitee.getByRole('heading', { level: 2, name: 'My plan' })).toBeVisible();
		await expect(invitee.getByText('You do not have a care plan in Chorus yet.')).toBeVisible();
		await expect(invitee.getByRole('banner')).toContainText(displayName);
		// The session the link opened is not told about the link it just used…
		await expect(invitee.getByTestId('used-link-notice')).toHaveCount(0);
	} finally {
		await theirs.close();
	}

	// The link works only once, for anyone.
	const someoneElse = await browser.newContext();
	try {
		const again = await someoneElse.newPage();
		const response = await again.goto(link);
		expect(response?.status()).toBe(410);
		await expect(again.getByText('This link has already been used.', { exact: false })).toBeVisible();
		await expect(again.getByLabel('New password')).toHaveCount(0);
	} finally {
		await someoneElse.close();
	}

	// The person signs in with their new password on another device.
	const later = await browser.newContext();
	try {
		const signInPage = await later.newPage();
		await openPage(signInPage, '/login');
		await submitSignIn(signInPage, username, password);
		await expect(signInPage.getByRole('heading', { level: 1, name: `Hello, ${displayName}` })).toBeVisible();
		// …but the next sign-in is.
		await expect(signInPage.getByTestId('used-link-notice')).toContainText('a sign-in link was used to set the first password of your account');
	} finally {
		await later.close();
	}

	// The administrator now sees the account as active.
	await page.reload();
	await expect(page.getByRole('row').filter({ hasText: username })).toContainText('Active');
});

test('a password that is too short is refused on the invitation page', async ({ page, browser }) => {
	const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
	await signIn(page, 'robin');
	await openPage(page, '/admin');
	const create = page.getByRole('region', { name: 'Create an account' });
	await create.getByLabel('Name', { exact: true }).fill(`Dana Short ${suffix}`);
	await create.getByLabel('Username', { exact: true }).fill(`dana-${suffix}`);
	await create.getByRole('button', { name: 'Create account' }).click();
	const link = (await create.getByTestId('one-time-link').textContent())!.trim();

	const theirs = await browser.newContext();
	try {
		const invitee = await theirs.newPage();
		await openPage(invitee, link);
		// Skip the browser's own minlength check to reach the server's answer.
		await invitee.locator('form').evaluate((form) => form.setAttribute('novalidate', ''));
		await invitee.getByLabel('New password').fill('short');
		await invitee.getByLabel('Type it again').fill('short');
		await invitee.getByRole('button', { name: 'Save password and sign in' }).click();
		await expect(invitee.getByRole('alert')).toContainText('Your password needs at least 10 characters.');
		await expect(invitee).toHaveURL(link);
		// The link still works after a refused attempt.
		await invitee.reload();
		await expect(invitee.getByRole('heading', { level: 1, name: `Welcome, Dana Short ${suffix}` })).toBeVisible();
	} finally {
		await theirs.close();
	}
});
