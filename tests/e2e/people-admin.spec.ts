import type { Page } from '@playwright/test';
import { expect, expectNoViolations, openPage, signIn, signInThroughForm, test } from './helpers';

// Administrators correct people's details and are warned before a plan or care team crosses teams; a person sees
// their devices by name and signs one out. New accounts of their own, so no demo person changes.

const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

/** Robin creates an account on the People page; the form is empty again afterwards, its role back to the first. */
async function createAccount(robin: Page, account: { name: string; username: string; role: string; discipline?: string; team?: string }): Promise<void> {
	await openPage(robin, '/admin');
	const create = robin.getByRole('region', { name: 'Create an account' });
	await create.getByLabel('Name', { exact: true }).fill(account.name);
	await create.getByLabel('Username', { exact: true }).fill(account.username);
	await create.getByLabel('Role').selectOption({ label: account.role });
	if (account.discipline) await create.getByLabel('Discipline').selectOption({ label: account.discipline });
	if (account.team) await create.getByLabel('Team').selectOption({ label: account.team });
	await create.getByRole('button', { name: 'Create account' }).click();
	await expect(create.getByRole('status').first()).toContainText(`Account created for ${account.name}.`);
	await expect(create.getByLabel('Name', { exact: true })).toHaveValue('');
	await expect(create.getByLabel('Role')).toHaveValue('service_user');
	await expect(create.getByLabel('Discipline')).toHaveCount(0);
}

test('an administrator corrects a person’s name, username and discipline; a taken username is refused and what was typed stays', async ({ page }) => {
	const suffix = unique();
	await signIn(page, 'robin');
	await createAccount(page, { name: `Dana Wright ${suffix}`, username: `dana-${suffix}`, role: 'Professional', discipline: 'Nurse' });

	const edit = page.getByRole('button', { name: `Edit Dana Wright ${suffix}’s details` });
	await edit.click();
	const form = page.getByRole('form', { name: `Dana Wright ${suffix}’s details` });
	await expect(form.getByLabel('Name', { exact: true })).toBeFocused();
	await form.getByLabel('Username', { exact: true }).fill('priya');
	await form.getByRole('button', { name: 'Save details' }).click();
	await expect(form.getByRole('alert')).toHaveText('The username “priya” is already taken. Please choose another.');
	await expect(form.getByLabel('Username', { exact: true })).toHaveValue('priya');
	await expectNoViolations(page, 'the People page while editing a person');

	await form.getByLabel('Name', { exact: true }).fill(`Dana Wright-Okafor ${suffix}`);
	await form.getByLabel('Username', { exact: true }).fill(`dana.wo-${suffix}`);
	await form.getByLabel('Discipline').selectOption({ label: 'Psychologist' });
	await form.getByRole('button', { name: 'Save details' }).click();
	await expect(page.getByRole('status')).toHaveText(`Dana Wright-Okafor ${suffix}’s details are saved.`);
	await expect(form).toHaveCount(0);
	const row = page.getByRole('row', { name: new RegExp(`Dana Wright-Okafor ${suffix}`) });
	await expect(row).toContainText(`dana.wo-${suffix}`);
	await expect(row).toContainText('Psychologist');
	// Focus goes back to the button that opened the form.
	await expect(page.getByRole('button', { name: `Edit Dana Wright-Okafor ${suffix}’s details` })).toBeFocused();
});

test('an administrator is warned before starting a plan in a team its person is not in, and can go ahead', async ({ page }) => {
	const suffix = unique();
	await signIn(page, 'robin');
	await createAccount(page, { name: `Eli Stone ${suffix}`, username: `eli-${suffix}`, role: 'Person using services' });
	await createAccount(page, { name: `Fay Okoro ${suffix}`, username: `fay-${suffix}`, role: 'Professional', discipline: 'Peer support worker' });

	await openPage(page, '/admin/plans');
	const start = page.getByRole('region', { name: 'Start a plan' });
	await start.getByLabel('Whose plan').selectOption({ label: `Eli Stone ${suffix}` });
	await start.getByLabel('Team').selectOption({ label: 'Riverside Community Mental Health Team' });
	await start.getByLabel('Title').fill(`Eli’s plan ${suffix}`);
	await start.getByRole('button', { name: 'Start plan', exact: true }).click();
	await expect(start.getByRole('alert')).toContainText(`Eli Stone ${suffix} is not in the team “Riverside Community Mental Health Team”`);
	// Nothing was started, and what was chosen is still there.
	await expect(page.getByRole('heading', { name: `Eli’s plan ${suffix}` })).toHaveCount(0);
	await expect(start.getByLabel('Title')).toHaveValue(`Eli’s plan ${suffix}`);
	await expectNoViolations(page, 'the plans page with a warning');

	await start.getByRole('button', { name: 'Start the plan in this team anyway' }).click();
	await expect(start.getByRole('status')).toContainText(`Plan created for Eli Stone ${suffix}.`);
	const plan = page.getByRole('region', { name: `Eli’s plan ${suffix}` });
	await expect(plan).toBeVisible();

	// Fay is in no team yet: adding her to this care team asks first.
	await plan.getByLabel('Add a professional').selectOption({ label: `Fay Okoro ${suffix} (Peer support worker)` });
	await plan.getByRole('button', { name: 'Add to care team' }).click();
	await expect(page.getByRole('alert')).toContainText('is not in this plan’s team');
	await expect(plan.getByRole('listitem').filter({ hasText: 'Fay Okoro' })).toHaveCount(0);
	await page.getByRole('button', { name: 'Add to the care team anyway' }).click();
	await expect(page.getByRole('status')).toHaveText('Added to the care team.');
	await expect(plan.getByRole('listitem').filter({ hasText: 'Fay Okoro' })).toHaveCount(1);
});

test('a person sees their devices by name and signs one of them out', async ({ page, browser }) => {
	const other = await (await browser.newContext()).newPage();
	try {
		await signInThroughForm(other, 'lee');
		await signInThroughForm(page, 'lee');
		await openPage(page, '/account');
		const devices = page.getByTestId('devices');
		await expect(devices).not.toContainText('Mozilla');
		await expect(devices.getByRole('listitem').filter({ hasText: 'This device' })).toContainText('Chrome on Linux');
		await expectNoViolations(page, 'the account page with two devices');

		const signOutButtons = devices.getByRole('button', { name: /^Sign out Chrome on Linux, signed in since/ });
		const before = await signOutButtons.count();
		expect(before).toBeGreaterThan(0);
		await signOutButtons.first().click();
		await expect(page.getByRole('status')).toHaveText('That device is signed out. Anything open there closes now.');
		await expect(signOutButtons).toHaveCount(before - 1);

		// The newest other session was the other browser's: it is signed out, this one is not.
		await other.goto('/account');
		await expect(other).toHaveURL(/\/login/);
		await page.reload();
		await expect(page.getByRole('heading', { level: 1, name: 'My account' })).toBeVisible();
	} finally {
		await other.context().close();
	}
});
