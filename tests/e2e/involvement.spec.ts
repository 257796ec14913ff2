import type { Locator } from '@playwright/test';
import { formatDateTime } from '../../src/lib/shared/dates';
import { expect, openPage, openPlanAs, openSignedInPage, planIdOf, signIn, test, typeAtEndOf } from './helpers';

// Maria's audit of the Riverside team (Jordan's review is seeded 10 days in the past), and Lee's plan for "Who has
// seen my plan" and an appointment with Noah (history.spec, which also uses Lee's plan, runs before this file and
// books no appointment). Other files may have typed into these plans first: nothing here depends on their words.

/** How often "Who has seen my plan" says this person looked: 0 when they are not listed. */
/** How many visits the list counts for this person (0 when they are not listed). */
async function visitsBy(seen: Locator, name: string): Promise<number> {
	const entry = seen.getByRole('listitem').filter({ hasText: name });
	if ((await entry.count()) === 0) return 0;
	const visits = /(\d+) visits?/.exec((await entry.textContent()) ?? '');
	if (!visits) throw new Error(`no visit count for ${name} in "${await entry.textContent()}"`);
	return Number(visits[1]);
}

/** The minutes from `since` to now, as the plan page shows a time. */
function minutesSince(since: Date): string[] {
	const minutes: string[] = [];
	for (let at = Math.floor(since.getTime() / 60_000) * 60_000; at <= Date.now(); at += 60_000) minutes.push(formatDateTime(new Date(at)));
	return minutes;
}

test('a supervisor sees her team’s flags, keeps to the plans that need attention, and opens one with its access log', async ({ page, browser }) => {
	const jordanPlanId = await planIdOf('jordan');
	// Priya opens Jordan's plan, so its access log has a professional's look whatever ran before.
	const priya = await openSignedInPage(browser, 'priya');
	await priya.goto(`/plans/${jordanPlanId}`);
	await expect(priya.getByTestId('appointments')).toBeVisible();
	await priya.context().close();

	await signIn(page, 'maria');
	await openPage(page, '/audit');
	const rows = page.getByTestId('involvement-row');
	const jordan = page.locator('[data-testid="involvement-row"][data-person="Jordan Lee"]');
	await expect(jordan.locator('li.badge[data-flag="review_overdue"]')).toHaveText('Review overdue');
	await expect(page.locator('[data-testid="involvement-row"][data-person="Sam Taylor"]')).toBeVisible();
	// Lee is in another team.
	await expect(page.locator('[data-testid="involvement-row"][data-person="Lee Novak"]')).toHaveCount(0);

	const total = await rows.count();
	const flagged = await rows.filter({ has: page.locator('li.badge[data-flag]') }).count();
	expect(flagged).toBeGreaterThan(0);
	await expect(page.getByTestId('audit-summary')).toHaveText(`${total} plans · ${flagged} need attention`);

	await page.getByLabel('Only plans that need attention').check();
	await expect(rows).toHaveCount(flagged);
	for (const row of await rows.all()) await expect(row.locator('li.badge[data-flag]').first()).toBeVisible();
	await expect(jordan).toBeVisible();
	await page.getByLabel('Only plans that need attention').uncheck();
	await expect(rows).toHaveCount(total);

	// The CSV behind the link has a row for Jordan's plan, with its flag.
	const csvHref = await page.getByTestId('csv-download').getAttribute('href');
	const csv = await page.request.get(csvHref!);
	expect(csv.status()).toBe(200);
	expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
	const jordanLine = (await csv.text()).split('\r\n').find((line) => line.startsWith(`${jordanPlanId},`));
	expect(jordanLine).toContain('review_overdue');

	await jordan.getByRole('link', { name: 'Jordan Lee' }).click();
	await expect(page).toHaveURL(`/audit/plans/${jordanPlanId}`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Jordan Lee: how the plan was written');
	await expect(page.getByTestId('plan-flags')).toContainText('Review overdue');
	await expect(page.getByTestId('measure-share')).toHaveText(/^(\d+%|No words yet)$/);
	await expect(page.getByTestId('section-table').getByRole('row')).toHaveCount(10);
	await expect(page.getByTestId('domain-table').getByRole('row')).toHaveCount(6);
	const log = page.getByTestId('access-log');
	await expect(log.getByRole('row').filter({ hasText: 'Priya Shah (Social worker)' }).filter({ hasText: 'Opened the plan' }).first()).toBeVisible();
	// Maria's own look is recorded: it is there the next time.
	await page.reload();
	await expect(log.getByRole('row').filter({ hasText: 'Maria Okafor' }).filter({ hasText: 'Looked at its history' }).first()).toBeVisible();
});

test('the person whose plan it is sees who has opened it', async ({ browser }) => {
	const planId = await planIdOf('lee');
	const lee = await openSignedInPage(browser, 'lee');
	await lee.goto(`/plans/${planId}`);
	const seen = lee.getByTestId('who-has-seen');
	await expect(seen).toBeVisible();
	const before = await visitsBy(seen, 'Noah Williams');
	const opened = new Date();

	const noah = await openSignedInPage(browser, 'noah');
	await noah.goto(`/plans/${planId}`);
	await expect(noah.getByTestId('appointments')).toBeVisible();
	// Only the person whose plan it is gets the list.
	await expect(noah.getByTestId('who-has-seen')).toHaveCount(0);
	await noah.context().close();

	await lee.reload();
	await expect(seen.getByRole('listitem').filter({ hasText: 'Noah Williams' })).toContainText('(Psychologist)');
	// Noah may have been here minutes ago (history.spec): then this opening is part of that visit, and only its time moves on.
	expect(await visitsBy(seen, 'Noah Williams')).toBeGreaterThanOrEqual(Math.max(before, 1));
	const entry = (await seen.getByRole('listitem').filter({ hasText: 'Noah Williams' }).textContent()) ?? '';
	expect(
		minutesSince(opened).some((minute) => entry.includes(`the last on ${minute}`)),
		entry
	).toBe(true);
	await lee.context().close();
});

test('a professional books, starts and ends an appointment, and the plan then shows what changed since it', async ({ browser }) => {
	const planId = await planIdOf('lee');
	const noah = await openPlanAs(browser, 'noah', planId);
	const card = noah.getByTestId('appointments');

	await card.getByText('Book an appointment').click();
	await card.getByLabel('Date and time').fill('2030-01-15T10:30');
	await card.getByLabel('Where, or how (optional)').fill('At the recovery college');
	await expect(card.getByRole('checkbox', { name: 'Lee Novak' })).toBeChecked();
	await card.getByRole('button', { name: 'Book it' }).click();
	await expect(card.getByRole('status')).toHaveText('The appointment is booked.');
	const booked = card.getByRole('listitem').filter({ hasText: '15 Jan 2030, 10:30' });
	await expect(booked).toContainText('At the recovery college');
	await expect(booked).toContainText('Lee Novak');

	await booked.getByTestId('start-appointment').click();
	await expect(noah.getByTestId('appointment-running')).toContainText('An appointment is running');
	await typeAtEndOf(noah, 'meaning', 'Lee wants to teach a class.');

	await noah.getByTestId('end-appointment').click();
	await expect(card.getByRole('status').filter({ hasText: 'The appointment has ended' })).toContainText('The plan is saved as “After our appointment on');
	await expect(noah.getByTestId('appointment-running')).toHaveCount(0);
	await expect(booked).toHaveCount(0);

	await typeAtEndOf(noah, 'meaning', ' On Tuesdays.');
	const since = noah.getByRole('link', { name: 'What changed since our last appointment' });
	await expect(since).toBeVisible();
	await since.click();
	await expect(noah).toHaveURL(new RegExp(`/plans/${planId}/compare\\?from=\\d+$`));
	await expect(noah.locator('[data-testid="version-meaning"] ins.change-added')).toHaveText(' On Tuesdays.');
	await noah.context().close();
});
