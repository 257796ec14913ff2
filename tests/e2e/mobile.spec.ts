import { expect, expectNoHorizontalScroll, PLAN_TITLES, signIn, test } from './helpers';

// Between appointments, people use Chorus on a phone: nothing may need scrolling sideways.
test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 3 });

test('on a phone, the sign-in page fits the screen', async ({ page }) => {
	await page.goto('/login');
	await expect(page.getByRole('heading', { level: 1, name: 'Sign in to Chorus' })).toBeVisible();
	await expect(page.getByLabel('Username')).toBeInViewport();
	await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeInViewport();
	await expectNoHorizontalScroll(page);
});

test('on a phone, a service user’s home page and plan fit the screen', async ({ page }) => {
	await signIn(page, 'jordan');
	await expect(page.getByRole('heading', { level: 2, name: 'My plan' })).toBeVisible();
	await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
	await expectNoHorizontalScroll(page);

	await page.getByRole('link', { name: PLAN_TITLES.jordan }).tap();
	await expect(page.getByRole('heading', { level: 1, name: PLAN_TITLES.jordan })).toBeVisible();
	await expectNoHorizontalScroll(page);
});

test('on a phone, a professional’s caseload fits the screen', async ({ page }) => {
	await signIn(page, 'priya');
	await expect(page.getByRole('link', { name: PLAN_TITLES.sam })).toBeVisible();
	await expectNoHorizontalScroll(page);
});

test('on a phone, the administration pages fit the screen', async ({ page }) => {
	await signIn(page, 'robin');
	await expectNoHorizontalScroll(page);
	for (const path of ['/admin', '/admin/teams', '/admin/plans']) {
		await page.goto(path);
		await expect(page.getByRole('navigation', { name: 'Administration' })).toBeVisible();
		await expectNoHorizontalScroll(page);
	}
});
