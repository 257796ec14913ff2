import { DEMO_PASSWORD, expect, formHeaders, openPage, planIdOf, signIn, signInThroughForm, test } from './helpers';

// Forms posted without the browser's help (missing fields, a broken body, another site) get a clear answer, and
// nothing breaks for the next person.

const BOTH_FIELDS = 'Please enter both your username and your password.';

test('a sign-in form with no fields gets 400 and a clear message', async ({ page, baseURL }) => {
	const response = await page.request.post('/login', { form: {}, headers: formHeaders(baseURL), maxRedirects: 0 });
	expect(response.status()).toBe(400);
	expect(await response.text()).toContain(BOTH_FIELDS);
});

test('a sign-in form without a password gets 400 and a clear message', async ({ page, baseURL }) => {
	const response = await page.request.post('/login', {
		form: { username: 'sam' },
		headers: formHeaders(baseURL),
		maxRedirects: 0
	});
	expect(response.status()).toBe(400);
	expect(await response.text()).toContain(BOTH_FIELDS);
	expect(response.headers()['set-cookie'] ?? '').not.toContain('session=');
});

test('a sign-in form with only spaces as the username gets 400', async ({ page, baseURL }) => {
	const response = await page.request.post('/login', {
		form: { username: '   ', password: DEMO_PASSWORD },
		headers: formHeaders(baseURL),
		maxRedirects: 0
	});
	expect(response.status()).toBe(400);
	expect(await response.text()).toContain(BOTH_FIELDS);
});

test('a sign-in form with a broken body gets 400, and signing in still works afterwards', async ({ page, baseURL }) => {
	const response = await page.request.post('/login', {
		headers: { ...formHeaders(baseURL), 'Content-Type': 'multipart/form-data; boundary=chorus' },
		data: 'this is not a multipart body',
		maxRedirects: 0
	});
	expect(response.status()).toBe(400);
	expect(await response.text()).toContain('We could not read what was sent');

	await signInThroughForm(page, 'sam');
	await expect(page.getByRole('heading', { level: 2, name: 'My plan' })).toBeVisible();
});

test('the sign-in page shows the message for a missing password', async ({ page }) => {
	// The browser's own `required` check is skipped here to reach the server's answer.
	await openPage(page, '/login');
	await page.getByLabel('Username').fill('sam');
	await page.locator('form.card').evaluate((form) => form.setAttribute('novalidate', ''));
	await page.getByRole('button', { name: 'Sign in', exact: true }).click();
	await expect(page.getByRole('alert')).toHaveText(BOTH_FIELDS);
	await expect(page).toHaveURL('/login');
});

test('a form posted from another site is refused', async ({ page, baseURL }) => {
	const response = await page.request.post('/login', {
		form: { username: 'sam', password: DEMO_PASSWORD },
		headers: { ...formHeaders(baseURL), Origin: 'https://evil.example' },
		maxRedirects: 0
	});
	expect(response.status()).toBe(403);
	expect(response.headers()['set-cookie'] ?? '').not.toContain('session=');
});

test('an empty plan-details form gets 400 and a clear message', async ({ page, baseURL }) => {
	const planId = await planIdOf('sam');
	await signIn(page, 'priya');
	const response = await page.request.post(`/plans/${planId}?/details`, { form: {}, headers: formHeaders(baseURL), maxRedirects: 0 });
	expect(response.status()).toBe(400);
	expect(await response.text()).toContain('Please give the plan a title.');
});

test('an unknown invitation link gets 404 and a clear message', async ({ page }) => {
	const response = await page.goto('/invite/not-a-real-link');
	expect(response?.status()).toBe(404);
	await expect(page.getByText('This link is not valid. Please check that you copied all of it, or ask for a new one.')).toBeVisible();
});

test('a plan-details form with a broken body gets 400, not a server error', async ({ page, baseURL }) => {
	const planId = await planIdOf('sam');
	await signIn(page, 'priya');
	const response = await page.request.post(`/plans/${planId}?/details`, {
		headers: { ...formHeaders(baseURL), 'Content-Type': 'multipart/form-data; boundary=chorus' },
		data: 'this is not a multipart body',
		maxRedirects: 0
	});
	expect(response.status(), 'a broken form body is the sender’s mistake (4xx), not the server’s (5xx)').toBe(400);
});
