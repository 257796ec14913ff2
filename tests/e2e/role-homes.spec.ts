import { expect, PLAN_TITLES, signIn, signInThroughForm, test } from './helpers';

// Each kind of person lands on their own home page after signing in (the first through the sign-in form, the
// others with a session started directly, which is faster).

test('a service user sees “Hello” and their own plan, and no one else’s', async ({ page }) => {
	await signInThroughForm(page, 'sam');
	await expect(page).toHaveURL('/');
	await expect(page.getByRole('heading', { level: 1, name: 'Hello, Sam Taylor' })).toBeVisible();
	await expect(page.getByRole('heading', { level: 2, name: 'My plan' })).toBeVisible();
	await expect(page.getByRole('link', { name: PLAN_TITLES.sam })).toBeVisible();
	await expect(page.getByRole('link', { name: PLAN_TITLES.jordan })).toHaveCount(0);
	await expect(page.getByRole('banner')).toContainText('Person using services');
	await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
	// Administration is not offered to a service user.
	await expect(page.getByRole('link', { name: 'People and teams' })).toHaveCount(0);
});

test('a professional sees their caseload: the plans of the care teams they are on', async ({ page }) => {
	await signIn(page, 'priya');
	await expect(page.getByRole('heading', { level: 1, name: 'My caseload' })).toBeVisible();
	await expect(page.getByRole('link', { name: PLAN_TITLES.sam })).toBeVisible();
	await expect(page.getByRole('link', { name: PLAN_TITLES.jordan })).toBeVisible();
	await expect(page.getByRole('banner')).toContainText('Priya Shah');
	await expect(page.getByRole('banner')).toContainText('Social worker');
});

test('a peer worker is a professional and sees their caseload', async ({ page }) => {
	await signIn(page, 'alex');
	await expect(page.getByRole('heading', { level: 1, name: 'My caseload' })).toBeVisible();
	await expect(page.getByRole('link', { name: PLAN_TITLES.sam })).toBeVisible();
	// Alex is on Sam's care team only.
	await expect(page.getByRole('link', { name: PLAN_TITLES.jordan })).toHaveCount(0);
	await expect(page.getByRole('banner')).toContainText('Peer support worker');
});

test('a supervisor sees every plan of their team', async ({ page }) => {
	await signIn(page, 'maria');
	await expect(page.getByRole('heading', { level: 1, name: 'My team’s plans' })).toBeVisible();
	await expect(page.getByText('Riverside Community Mental Health Team. You can read these plans')).toBeVisible();
	await expect(page.getByRole('link', { name: PLAN_TITLES.sam })).toBeVisible();
	await expect(page.getByRole('link', { name: PLAN_TITLES.jordan })).toBeVisible();
	// Lee's plan belongs to another team.
	await expect(page.getByRole('link', { name: 'Lee’s recovery plan' })).toHaveCount(0);
	await expect(page.getByRole('banner')).toContainText('Supervisor');
});

test('an administrator sees people and teams, and no plan content', async ({ page }) => {
	await signIn(page, 'robin');
	await expect(page.getByRole('heading', { level: 1, name: 'People and teams' })).toBeVisible();
	const main = page.getByRole('main');
	await expect(main.getByRole('link', { name: /people/ })).toBeVisible();
	await expect(main.getByRole('link', { name: /teams/ })).toBeVisible();
	await expect(main.getByRole('link', { name: /care plans/ })).toBeVisible();
	await expect(page.getByRole('link', { name: PLAN_TITLES.sam })).toHaveCount(0);
	await expect(page.getByRole('banner')).toContainText('Administrator');

	// The administration area is reachable from the main navigation.
	await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'People and teams' }).click();
	await expect(page).toHaveURL('/admin');
	await expect(page.getByRole('heading', { level: 1, name: 'People' })).toBeVisible();
	await expect(page.getByRole('heading', { level: 2, name: 'Create an account' })).toBeVisible();
	await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Teams', exact: true }).click();
	await expect(page).toHaveURL('/admin/teams');
	await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Care plans and care teams' }).click();
	await expect(page).toHaveURL('/admin/plans');
});
