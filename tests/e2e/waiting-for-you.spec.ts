import type { Page } from '@playwright/test';
import { expect, expectNoHorizontalScroll, expectNoViolations, openPage, planIdOf, signIn, test } from './helpers';

// What a person is told: "Waiting for you" on their home page, notifications with read/unread, appointments that
// can be moved and cancelled (never into the past), and a team's crisis contact on every page of a plan.

/** A `datetime-local` value `minutes` from now (the browser and the server share this machine's clock and zone). */
function fieldValue(minutes: number): string {
	const at = new Date(Date.now() + minutes * 60_000);
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/** Minutes from now that stay within today, so the appointment is "today" wherever the clock is. */
function laterToday(wanted: number): number {
	const now = new Date();
	const left = 24 * 60 - (now.getHours() * 60 + now.getMinutes()) - 2;
	return Math.max(1, Math.min(wanted, left));
}

const unreadCount = (page: Page) => page.getByTestId('unread-count');

test('an appointment is booked (not in the past), moved and cancelled; the person is told each time and can mark it read', async ({ page, browser }) => {
	// Two people and a dozen round trips: slow on a busy machine.
	test.setTimeout(120_000);
	const planId = await planIdOf('sam');
	await signIn(page, 'priya');
	await openPage(page, `/plans/${planId}`);
	const panel = page.getByTestId('appointments');
	await panel.getByText('Book an appointment').click();

	// A time that has passed is refused with words that say what to do; what was typed stays.
	await panel.getByLabel('Date and time', { exact: true }).fill(fieldValue(-2 * 24 * 60));
	await panel.getByLabel('Where, or how (optional)').fill('The hub, room 2');
	await panel.getByRole('button', { name: 'Book it' }).click();
	await expect(panel.getByRole('alert')).toContainText('That time has already passed');
	await expect(panel.getByLabel('Where, or how (optional)')).toHaveValue('The hub, room 2');
	await expect(panel.getByTestId('upcoming-appointment')).toHaveCount(0);

	// Booked: the form is empty again, ready for the next one.
	await panel.getByLabel('Date and time', { exact: true }).fill(fieldValue(laterToday(30)));
	await panel.getByRole('button', { name: 'Book it' }).click();
	await expect(panel.getByRole('status')).toContainText('The appointment is booked');
	await expect(panel.getByLabel('Date and time', { exact: true })).toHaveValue('');
	await expect(panel.getByLabel('Where, or how (optional)')).toHaveValue('');
	const booked = panel.getByTestId('upcoming-appointment').filter({ hasText: 'The hub, room 2' });
	await expect(booked).toHaveCount(1);

	// Moved, later today: the plan says from when, and by whom.
	await booked.getByText('Move or cancel').click();
	await booked.getByLabel('New date and time').fill(fieldValue(laterToday(90)));
	await booked.getByRole('button', { name: 'Move it' }).click();
	await expect(booked.getByRole('status')).toContainText('The appointment is moved');
	await expect(booked.getByTestId('appointment-moved')).toContainText('by Priya Shah');
	await expectNoViolations(page, 'the plan’s appointments after a move');

	// Sam is told, in the header count and the list; the home page says the appointment is today.
	const sam = await (await browser.newContext()).newPage();
	await signIn(sam, 'sam');
	await expect(sam.getByTestId('waiting-item').filter({ hasText: 'Appointment today at' })).toContainText('The hub, room 2');
	await expect(unreadCount(sam)).toHaveText(/^[1-9]\d*$/);
	const before = Number(await unreadCount(sam).textContent());
	await sam.getByTestId('notifications-link').click();
	await expect(sam.getByRole('heading', { level: 1, name: 'Notifications' })).toBeVisible();
	const moved = sam.getByTestId('notification').filter({ hasText: 'Priya Shah moved the appointment about your plan' });
	await expect(moved).toHaveAttribute('data-read', 'no');
	await expect(sam.getByTestId('notification').filter({ hasText: 'Priya Shah booked an appointment about your plan' })).toHaveCount(1);
	await expectNoViolations(sam, 'the notifications page');
	await moved.getByRole('button', { name: 'Mark as read' }).click();
	await expect(moved).toHaveAttribute('data-read', 'yes');
	await expect(unreadCount(sam)).toHaveText(String(before - 1));

	// Cancelled: it stays in the plan as cancelled, by whom, and Sam is told.
	await booked.getByText('Move or cancel').click();
	await booked.getByRole('button', { name: 'Cancel this appointment' }).click();
	await expect(panel.getByRole('status')).toContainText('The appointment is cancelled');
	await expect(panel.getByTestId('cancelled-appointment').first()).toContainText('cancelled by Priya Shah');
	await expect(panel.getByTestId('upcoming-appointment').filter({ hasText: 'The hub, room 2' })).toHaveCount(0);
	await sam.reload();
	await expect(sam.getByTestId('notification').filter({ hasText: 'Priya Shah cancelled the appointment about your plan' })).toHaveAttribute('data-read', 'no');
	await sam.getByRole('button', { name: 'Mark all as read' }).click();
	await expect(sam.getByTestId('unread-summary')).toHaveText('You have read them all.');
	await expect(unreadCount(sam)).toHaveCount(0);
	await expect(sam.getByTestId('notifications-link')).toHaveText('Notifications');
	await sam.goto('/');
	await expect(sam.getByTestId('waiting-item').filter({ hasText: 'Appointment today at' })).toHaveCount(0);
	await sam.context().close();
});

test('a request to agree and an overdue review wait for the person on their home page, with links to where to act', async ({ page, browser }) => {
	const planId = await planIdOf('jordan');
	await signIn(page, 'priya');
	await openPage(page, `/plans/${planId}/versions`);
	await page.getByLabel('Name (optional)').fill('Our plan for the winter');
	await page.getByTestId('mark-agreed').click();
	await expect(page.getByTestId('versions-message')).toContainText('saved with your agreement');

	const jordan = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
	await signIn(jordan, 'jordan');
	const waiting = jordan.getByTestId('waiting');
	const agree = waiting.getByTestId('waiting-item').filter({ hasText: 'Our plan for the winter' });
	await expect(agree).toContainText('Your care team asks whether you agree');
	await expect(waiting.getByTestId('waiting-item').filter({ hasText: 'Review overdue' })).toContainText('Your care team will arrange it with you');
	await expectNoHorizontalScroll(jordan);
	await expectNoViolations(jordan, 'Jordan’s home page at 390 px');
	const link = agree.getByRole('link', { name: 'Read it and say if you agree' });
	expect((await link.boundingBox())!.height).toBeGreaterThanOrEqual(44);
	await link.click();
	await expect(jordan).toHaveURL(`/plans/${planId}/versions`);
	await jordan
		.getByTestId('version')
		.filter({ hasText: 'Our plan for the winter' })
		.getByRole('button', { name: /I agree/ })
		.click();
	await expect(jordan.getByTestId('versions-message')).toContainText('You agreed');
	await jordan.goto('/');
	await expect(jordan.getByTestId('waiting-item').filter({ hasText: 'Our plan for the winter' })).toHaveCount(0);
	// Priya is told of what Jordan wrote since she last looked only once there is something; the review stays on her list.
	await page.goto('/');
	await expect(page.getByTestId('waiting-item').filter({ hasText: 'Jordan Lee’s plan' }).filter({ hasText: 'Review overdue' })).toHaveCount(1);
	await jordan.context().close();
});

test('an administrator sets a team’s crisis contact; a mistake is explained and nothing typed is lost', async ({ page }) => {
	await signIn(page, 'robin');
	await openPage(page, '/admin/teams');
	const northgate = page.getByRole('region', { name: 'Northgate Recovery College' });
	const form = northgate.locator('details.crisis');
	await expect(form).toHaveAttribute('open', '');
	await form.getByLabel('Who people can contact').fill('the Northgate out-of-hours line');
	await form.getByLabel('Phone number').fill('call us');
	await form.getByLabel('When', { exact: true }).fill('Nights and weekends');
	await form.getByRole('button', { name: 'Save the crisis contact' }).click();
	await expect(form.getByRole('alert')).toContainText('Please enter a phone number');
	await expect(form.getByLabel('Who people can contact')).toHaveValue('the Northgate out-of-hours line');
	await form.getByLabel('Phone number').fill('01632 960 555');
	await form.getByRole('button', { name: 'Save the crisis contact' }).click();
	await expect(northgate.getByRole('status')).toContainText('is saved');
	await expectNoViolations(page, 'the teams page with a crisis contact');
});

for (const viewport of [
	{ width: 390, height: 844 },
	{ width: 1280, height: 900 }
]) {
	test(`the crisis contact shows as “Need help now?” on every page of the team’s plans, at ${viewport.width} px`, async ({ browser }) => {
		test.setTimeout(90_000);
		const planId = await planIdOf('lee');
		const lee = await (await browser.newContext({ viewport })).newPage();
		await signIn(lee, 'lee');
		for (const path of ['', '/history', '/versions', '/compare?from=0', '/at/0']) {
			await lee.goto(`/plans/${planId}${path}`);
			const help = lee.getByRole('complementary', { name: 'Need help now?' });
			await expect(help, `${path || 'the plan'} at ${viewport.width} px`).toContainText('Need help now? Call 01632 960 555.');
			await help.getByText('Who answers, and when').click();
			await expect(help).toContainText('Answered by the Northgate out-of-hours line. Nights and weekends.');
			await expect(help.getByRole('link', { name: '01632 960 555' })).toHaveAttribute('href', 'tel:01632960555');
			await expect(help).toBeInViewport();
			await expectNoHorizontalScroll(lee);
		}
		await lee.goto(`/plans/${planId}`);
		// Just above the plan's own crisis section too.
		const section = lee.getByTestId('crisis-contact-section');
		await expect(section).toContainText('Call the Northgate out-of-hours line');
		const sectionTop = (await lee.locator('#section-crisis').boundingBox())!.y;
		expect((await section.boundingBox())!.y).toBeLessThan(sectionTop);
		await expect(lee.getByTestId('connection-status')).toHaveText('Connected');
		await expectNoViolations(lee, `Lee’s plan with the crisis contact at ${viewport.width} px`);
		await lee.context().close();
	});
}
