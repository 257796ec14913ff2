import { expect, expectNoViolations, formHeaders, openPlanAs, planIdOf, sectionText, test, typeAtEndOf } from './helpers';

// Jordan's plan (care team: Priya): what one person does reaches the other's open page, live, with what it means.
// The restore uses "Identity", which no other file writes in Jordan's plan.
let planId: string;

test.beforeAll(async () => {
	planId = await planIdOf('jordan');
});

test('a professional starts and ends an appointment; the person sees it on their open page without reloading', async ({ browser, baseURL }) => {
	const jordan = await openPlanAs(browser, 'jordan', planId);
	const priya = await openPlanAs(browser, 'priya', planId);
	// Booked with the form's own fields (the booking form itself is another file's subject).
	const attendees = await priya
		.locator('[data-testid="appointments"] input[name="attendee"]')
		.evaluateAll((boxes) => boxes.map((box) => (box as HTMLInputElement).value));
	const soon = new Date(Date.now() + 3_600_000);
	const when = new Date(soon.getTime() - soon.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
	const booked = await priya.request.post(`/plans/${planId}?/scheduleAppointment`, {
		headers: { ...formHeaders(baseURL), 'content-type': 'application/x-www-form-urlencoded' },
		data: new URLSearchParams([['when', when], ['place', ''], ...attendees.map((id) => ['attendee', id])]).toString()
	});
	expect(booked.ok()).toBe(true);
	await priya.reload();
	await expect(priya.getByTestId('connection-status')).toHaveText('Connected');

	await expect(jordan.getByTestId('appointment-running')).toHaveCount(0);
	await priya.getByTestId('start-appointment').first().click();
	const notice = jordan.getByTestId('plan-notice');
	await expect(notice).toHaveText(/Priya Shah started an appointment — you are working on this together now\./);
	// The page's appointment state follows, without a reload.
	await expect(jordan.getByTestId('appointment-running')).toContainText('An appointment is running');
	await expect(priya.getByTestId('plan-notice')).toHaveText(/You started an appointment/);
	await expectNoViolations(jordan, 'the plan with a notice');

	await priya.getByTestId('end-appointment').click();
	const ended = jordan.locator('[data-testid="plan-notice"][data-code="appointment-ended"]');
	await expect(ended).toContainText('The appointment has ended; this version was saved.');
	await expect(jordan.getByTestId('appointment-running')).toHaveCount(0);
	await ended.getByRole('button', { name: 'Dismiss' }).click();
	await expect(ended).toHaveCount(0);
	await jordan.locator('[data-testid="plan-notice"]').getByRole('button', { name: 'Dismiss' }).click();
	await expect(jordan.getByTestId('plan-notice')).toHaveCount(0);
	await jordan.context().close();
	await priya.context().close();
});

test('bringing back an empty section shows what goes first, tells everyone with a link, and the person can undo it', async ({ browser }) => {
	const jordan = await openPlanAs(browser, 'jordan', planId);
	const WORDS = 'I am someone who keeps going.';
	await typeAtEndOf(jordan, 'identity', WORDS);
	const before = await sectionText(jordan, 'identity');
	expect(before).toContain(WORDS);

	// Priya opens the plan as it was before anyone wrote: Identity was empty then.
	const priya = await openPlanAs(browser, 'priya', planId);
	await priya.goto(`/plans/${planId}/at/0`);
	await priya.getByTestId('restore-identity').click();
	const preview = priya.getByTestId('restore-preview');
	await expect(preview.getByTestId('restore-empties')).toContainText('This will leave “Identity” empty.');
	await expect(preview.getByTestId('restore-removed')).toContainText(WORDS);
	await expect(preview.getByTestId('restore-removes-words')).toContainText('Jordan Lee, including the words of the person whose plan it is');
	await expectNoViolations(priya, 'the restore preview');
	await preview.getByTestId('restore-confirm').click();
	await expect(priya.getByTestId('restore-message')).toContainText('“Identity” is back as it was in this version.');
	// Now it is the same as this version: not offered again.
	await expect(priya.getByTestId('restore-identity-same')).toHaveText('This section is the same as now.');

	// Jordan, on the live plan: the words went, and a notice says who did it, with a comparison and an undo.
	await expect.poll(() => sectionText(jordan, 'identity')).toBe('');
	const notice = jordan.locator('[data-testid="plan-notice"][data-code="plan-restored"]');
	await expect(notice).toContainText('Priya Shah brought back an earlier “Identity” section.');
	const compare = notice.getByTestId('notice-compare');
	await expect(compare).toHaveText('See what changed');
	const href = await compare.getAttribute('href');
	expect(href).toMatch(new RegExp(`^/plans/${planId}/compare\\?from=\\d+&to=\\d+$`));

	await notice.getByTestId('undo-restore').click();
	await expect(notice.getByTestId('undo-answer')).toHaveText('Undone: “Identity” is as it was before. This shows in the history as your change.');
	await expect.poll(() => sectionText(jordan, 'identity')).toBe(before);
	// Priya hears of the undo too, on the live plan.
	await priya.goto(`/plans/${planId}`);
	await expect(priya.getByTestId('connection-status')).toHaveText('Connected');
	await expect.poll(() => sectionText(priya, 'identity')).toBe(before);

	// The comparison the notice linked to shows what the restore removed.
	await jordan.goto(href!);
	await expect(jordan.getByTestId('compare-legend')).toContainText('Priya Shah');
	await expect(jordan.locator('[data-testid="version-identity"] del')).toContainText(WORDS);
	await jordan.context().close();
	await priya.context().close();
});
