import { DEMO_PASSWORD, expect, formHeaders, openPage, PLAN_TITLES, planIdOf, signInThroughForm, submitSignIn, test } from './helpers';

// Every failed attempt from 127.0.0.1 also counts toward the per-address limit (20 in 15 minutes), so the whole
// suite keeps its wrong passwords few: 2 here, 5 in the throttling test (on `lee`, which no other test uses).

const WRONG_PASSWORD = 'That username and password do not match. Please check them and try again.';

test('the sign-in page asks for a username and a password', async ({ page }) => {
	await page.goto('/');
	await expect(page).toHaveURL('/login');
	await expect(page.getByRole('heading', { level: 1, name: 'Sign in to Chorus' })).toBeVisible();
	await expect(page.getByLabel('Username')).toHaveAttribute('autocomplete', 'username');
	await expect(page.getByLabel('Password', { exact: true })).toHaveAttribute('type', 'password');
	await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeEnabled();
});

test('a wrong password gets a clear message and stays on the sign-in page; the right one then works', async ({ page }) => {
	await openPage(page, '/login');
	await submitSignIn(page, 'jordan', 'not-the-password');
	await expect(page.getByRole('alert')).toHaveText(WRONG_PASSWORD);
	await expect(page).toHaveURL('/login');
	await expect(page.getByLabel('Username')).toHaveValue('jordan');
	expect((await page.context().cookies()).find((cookie) => cookie.name === 'session')).toBeUndefined();

	await submitSignIn(page, 'jordan', DEMO_PASSWORD);
	await expect(page.getByRole('heading', { level: 1, name: 'Hello, Jordan Lee' })).toBeVisible();
	await expect(page).toHaveURL('/');
});

test('an unknown username gets the same message as a wrong password', async ({ page }) => {
	await openPage(page, '/login');
	await submitSignIn(page, 'nobody-by-this-name', DEMO_PASSWORD);
	await expect(page.getByRole('alert')).toHaveText(WRONG_PASSWORD);
	await expect(page).toHaveURL('/login');
});

test('after 5 failed attempts an account is paused, even for the right password, with a clear message', async ({ page, baseURL }) => {
	// Only `lee` is used here, so the pause does not affect any other test.
	await openPage(page, '/login');
	for (let attempt = 1; attempt <= 5; attempt++) {
		// Each attempt is answered before the next one is made.
		const answered = page.waitForResponse((response) => response.request().method() === 'POST' && new URL(response.url()).pathname === '/login');
		await submitSignIn(page, 'lee', `wrong-password-${attempt}`);
		await answered;
		await expect(page.getByRole('alert')).toHaveText(WRONG_PASSWORD);
		await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeEnabled();
	}

	await submitSignIn(page, 'lee', DEMO_PASSWORD);
	const alert = page.getByRole('alert');
	await expect(alert).toContainText('There have been too many attempts to sign in to this account');
	await expect(alert).toContainText(/please wait \d+ minutes? and try again/);
	await expect(page).toHaveURL('/login');
	await expect(page.getByRole('heading', { level: 1, name: 'Hello, Lee Novak' })).toHaveCount(0);

	// Without JavaScript the same attempt is answered with HTTP 429.
	const response = await page.request.post('/login', {
		form: { username: 'lee', password: DEMO_PASSWORD },
		headers: formHeaders(baseURL),
		maxRedirects: 0
	});
	expect(response.status()).toBe(429);
	expect(await response.text()).toContain('There have been too many attempts to sign in to this account');
	expect(response.headers()['set-cookie'] ?? '').not.toContain('session=');

	// Other accounts from the same address are not affected.
	await submitSignIn(page, 'sam', DEMO_PASSWORD);
	await expect(page.getByRole('heading', { level: 1, name: 'Hello, Sam Taylor' })).toBeVisible();
});

test('signing out returns to the sign-in page, and pages then ask to sign in again', async ({ page, browser }) => {
	await signInThroughForm(page, 'tom');
	await page.getByRole('link', { name: PLAN_TITLES.sam }).click();
	await expect(page.getByRole('heading', { level: 1, name: PLAN_TITLES.sam })).toBeVisible();
	const planPath = new URL(page.url()).pathname;
	const session = (await page.context().cookies()).find((cookie) => cookie.name === 'session');
	expect(session).toBeDefined();

	await page.getByRole('button', { name: 'Sign out' }).click();
	await expect(page).toHaveURL('/login');
	await expect(page.getByRole('heading', { level: 1, name: 'Sign in to Chorus' })).toBeVisible();
	expect((await page.context().cookies()).find((cookie) => cookie.name === 'session')).toBeUndefined();

	// The pages seen before now ask to sign in again.
	await page.goto(planPath);
	await expect(page).toHaveURL(`/login?next=${encodeURIComponent(planPath)}`);
	await expect(page.getByText(PLAN_TITLES.sam)).toHaveCount(0);
	await page.goto('/');
	await expect(page).toHaveURL('/login');

	// The old session token is dead on the server too, not just forgotten by this browser.
	const replay = await browser.newContext();
	try {
		await replay.addCookies([{ name: 'session', value: session!.value, url: page.url() }]);
		const replayPage = await replay.newPage();
		await replayPage.goto('/');
		await expect(replayPage).toHaveURL('/login');
		await expect(replayPage.getByRole('heading', { level: 1, name: 'Sign in to Chorus' })).toBeVisible();
	} finally {
		await replay.close();
	}
});

test('“sign out on all my devices” ends every session of that person', async ({ page, browser }) => {
	const otherDevice = await browser.newContext();
	try {
		const otherPage = await otherDevice.newPage();
		await signInThroughForm(otherPage, 'tom');
		await signInThroughForm(page, 'tom');

		await openPage(page, '/account');
		await page.getByRole('button', { name: 'Sign out on all my devices' }).click();
		await expect(page).toHaveURL('/login');
		await expect(page.getByRole('heading', { level: 1, name: 'Sign in to Chorus' })).toBeVisible();

		await otherPage.goto('/');
		await expect(otherPage).toHaveURL('/login');
	} finally {
		await otherDevice.close();
	}
});

test('a signed-out visitor to a plan is asked to sign in, then taken to that plan', async ({ page }) => {
	const planId = await planIdOf('sam');
	await openPage(page, `/plans/${planId}`);
	await expect(page).toHaveURL(`/login?next=${encodeURIComponent(`/plans/${planId}`)}`);
	await submitSignIn(page, 'sam', DEMO_PASSWORD);
	await expect(page).toHaveURL(`/plans/${planId}`);
	await expect(page.getByRole('heading', { level: 1, name: PLAN_TITLES.sam })).toBeVisible();
});

test('after sign-in, a “next” address on another site is not followed', async ({ page }) => {
	await openPage(page, `/login?next=${encodeURIComponent('//evil.example/steal')}`);
	await submitSignIn(page, 'priya', DEMO_PASSWORD);
	await expect(page.getByRole('heading', { level: 1, name: 'My caseload' })).toBeVisible();
	await expect(page).toHaveURL('/');
});

test('after sign-in, a “next” that a browser would read as another site is not followed', async ({ page, baseURL }) => {
	// As typed in the address bar: a tab, a backslash and a dot-segment can each turn a path into another host.
	for (const next of ['/%09/evil.example', '/%5C/evil.example', '/..//evil.example']) {
		await page.context().clearCookies();
		await openPage(page, `/login?next=${next}`);
		await submitSignIn(page, 'priya', DEMO_PASSWORD);
		await expect(page.getByRole('heading', { level: 1, name: 'My caseload' })).toBeVisible();
		expect(page.url(), next).toBe(`${baseURL}/`);
	}
});

test('a signed-in person opening the sign-in page goes to their home page', async ({ page }) => {
	await signInThroughForm(page, 'alex');
	await page.goto('/login');
	await expect(page).toHaveURL('/');
	await expect(page.getByRole('heading', { level: 1, name: 'My caseload' })).toBeVisible();
});
