import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { expect, PLAN_TITLES, planIdOf, signIn, test } from './helpers';

// Every access check is made on the server: a plan someone may not see answers 404, exactly like a plan that does
// not exist, so its existence stays hidden.

let samPlanId = '';
let jordanPlanId = '';

test.beforeAll(async () => {
	samPlanId = await planIdOf('sam');
	jordanPlanId = await planIdOf('jordan');
});

async function expectPlanNotFound(page: Page, path: string): Promise<void> {
	const response = await page.goto(path);
	expect(response?.status()).toBe(404);
	await expect(page.getByRole('heading', { level: 1, name: 'We could not find that page' })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Go to my home page' })).toBeVisible();
	// Whatever the reason, nothing of the plan is shown.
	await expect(page.getByText(PLAN_TITLES.sam)).toHaveCount(0);
	await expect(page.getByText(PLAN_TITLES.jordan)).toHaveCount(0);
	await expect(page.getByTestId('care-team')).toHaveCount(0);
}

test('a professional on the care team opens the plan and can manage it', async ({ page }) => {
	await signIn(page, 'priya');
	await page.getByRole('link', { name: PLAN_TITLES.sam }).click();
	await expect(page).toHaveURL(`/plans/${samPlanId}`);
	await expect(page.getByRole('heading', { level: 1, name: PLAN_TITLES.sam })).toBeVisible();
	const careTeam = page.getByTestId('care-team');
	await expect(careTeam).toContainText('Priya Shah');
	await expect(careTeam).toContainText('Tom Becker');
	await expect(careTeam).toContainText('Alex Morgan');
	await expect(page.getByRole('button', { name: 'Save details' })).toBeVisible();
	await expect(page.getByRole('note')).toHaveCount(0);
});

test('a service user opens their own plan', async ({ page }) => {
	await signIn(page, 'sam');
	await page.getByRole('link', { name: PLAN_TITLES.sam }).click();
	await expect(page.getByRole('heading', { level: 1, name: PLAN_TITLES.sam })).toBeVisible();
	await expect(page.getByTestId('care-team')).toContainText('Priya Shah');
});

test('a professional outside the care team gets 404 for a plan, and never sees its title', async ({ page }) => {
	await signIn(page, 'noah');
	await expectPlanNotFound(page, `/plans/${samPlanId}`);
	await expect(page.getByText('We could not find that plan. It may not exist, or it is not shared with you.')).toBeVisible();
	await expect(page).toHaveTitle(/Not found/);
});

test('a professional on one care team gets 404 for a plan whose care team they are not on', async ({ page }) => {
	// Tom is on Sam's care team, not Jordan's, although both are in his team.
	await signIn(page, 'tom');
	await expectPlanNotFound(page, `/plans/${jordanPlanId}`);
});

test('a service user gets 404 for someone else’s plan', async ({ page }) => {
	await signIn(page, 'sam');
	await expectPlanNotFound(page, `/plans/${jordanPlanId}`);
	await expect(page.getByText('We could not find that plan')).toBeVisible();
});

test('an unknown plan id gets the same 404 as a plan that is not shared', async ({ page }) => {
	await signIn(page, 'priya');
	await expectPlanNotFound(page, `/plans/${randomUUID()}`);
	await expect(page.getByText('We could not find that plan. It may not exist, or it is not shared with you.')).toBeVisible();
});

test('a plan id that is not a UUID gets 404', async ({ page }) => {
	await signIn(page, 'priya');
	for (const id of ['not-a-plan', '12345', `${samPlanId}x`, "1' OR '1'='1"]) {
		await expectPlanNotFound(page, `/plans/${encodeURIComponent(id)}`);
	}
});

test('a supervisor opens a plan of their team read-only', async ({ page }) => {
	await signIn(page, 'maria');
	await page.getByRole('link', { name: PLAN_TITLES.sam }).click();
	await expect(page).toHaveURL(`/plans/${samPlanId}`);
	await expect(page.getByRole('heading', { level: 1, name: PLAN_TITLES.sam })).toBeVisible();
	await expect(page.getByRole('note')).toHaveText('You can read this plan. Only Sam Taylor and their care team can change it.');
	// No way to change the plan or to create sign-in links.
	await expect(page.getByRole('button', { name: 'Save details' })).toHaveCount(0);
	await expect(page.getByRole('button', { name: 'Create a sign-in link' })).toHaveCount(0);
});

test('a supervisor gets 404 for a plan of another team', async ({ page, browser }) => {
	// Lee's plan (Northgate) is looked up through Noah, its care team, rather than Lee: Lee's account is paused
	// by the throttling test.
	const context = await browser.newContext();
	let leePlanHref: string | null;
	try {
		const noahPage = await context.newPage();
		await signIn(noahPage, 'noah');
		leePlanHref = await noahPage.getByRole('link', { name: 'Lee’s recovery plan' }).getAttribute('href');
	} finally {
		await context.close();
	}
	expect(leePlanHref).toMatch(/^\/plans\/[0-9a-f-]{36}$/);

	await signIn(page, 'maria');
	await expectPlanNotFound(page, leePlanHref!);
	await expect(page.getByText('Lee’s recovery plan')).toHaveCount(0);
});

test('an administrator gets 404 for a plan: administrators do not read plan content', async ({ page }) => {
	await signIn(page, 'robin');
	await expectPlanNotFound(page, `/plans/${samPlanId}`);
});

test('the administration area is closed to everyone but administrators', async ({ page }) => {
	await page.goto('/admin');
	await expect(page).toHaveURL(`/login?next=${encodeURIComponent('/admin')}`);

	await signIn(page, 'priya');
	for (const path of ['/admin', '/admin/teams', '/admin/plans']) {
		const response = await page.goto(path);
		expect(response?.status()).toBe(403);
		await expect(page.getByRole('heading', { level: 1, name: 'Not available' })).toBeVisible();
		await expect(page.getByText('This page is not available with your account.')).toBeVisible();
		await expect(page.getByRole('heading', { name: 'Create an account' })).toHaveCount(0);
	}
});
