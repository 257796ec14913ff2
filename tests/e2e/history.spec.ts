import { expect, openPlanAs, planIdOf, sectionText, test, typeAtEndOf } from './helpers';

// Lee's plan (care team: Noah), so other files' checks of Sam's and Jordan's plans stay independent.
let planId: string;

test.beforeAll(async () => {
	planId = await planIdOf('lee');
});

test('history shows who wrote what; compare colours each change by its author; a section can be brought back', async ({ browser }) => {
	const lee = await openPlanAs(browser, 'lee', planId);
	await typeAtEndOf(lee, 'hope', 'I want to walk the coast path.');
	await lee.context().close();

	const noah = await openPlanAs(browser, 'noah', planId);
	await expect.poll(() => sectionText(noah, 'hope')).toBe('I want to walk the coast path.');
	await typeAtEndOf(noah, 'hope', ' We can plan it in stages.');

	// Who wrote what, on the live plan: tints and the share bar.
	await noah.getByTestId('authors-toggle').click();
	await expect(noah.getByTestId('authors-toggle')).toHaveAttribute('aria-pressed', 'true');
	const hope = noah.locator('#section-hope');
	await expect(hope.getByTestId('share-bar')).toContainText('Lee Novak');
	await expect(hope.getByTestId('share-bar')).toContainText('Noah');
	await expect(hope.locator('.authored[title="Written by Lee Novak"]')).toHaveText('I want to walk the coast path.');

	// The timeline: newest first, with the person and what they changed.
	await noah.goto(`/plans/${planId}/history`);
	const sessions = noah.getByTestId('history-session');
	await expect(sessions.first()).toContainText('Noah');
	await expect(sessions.first()).toContainText('Hope and optimism');
	await expect(sessions.first()).toContainText('26 characters added');
	await expect(sessions.nth(1)).toContainText('Lee Novak');
	await expect(sessions.nth(1)).toContainText('30 characters added');

	// Filter by person.
	await noah.getByLabel('Person').selectOption({ label: 'Lee Novak (Person using services)' });
	await noah.getByRole('button', { name: 'Show' }).click();
	await expect(sessions).toHaveCount(1);
	await expect(sessions.first()).toContainText('Lee Novak');

	// Compare Noah's visit with the version before it: his words marked as added, in his colour.
	await noah.goto(`/plans/${planId}/history`);
	await sessions.first().getByRole('link', { name: 'What changed' }).click();
	await expect(noah.getByTestId('compare-legend')).toContainText('Noah');
	const added = noah.locator('[data-testid="version-hope"] ins.change-added');
	await expect(added).toHaveText(' We can plan it in stages.');
	await expect(added).toHaveAttribute('title', /Added by Noah/);

	// Open the version after Lee's visit and bring back the section as it was.
	await noah.goto(`/plans/${planId}/history`);
	await sessions.nth(1).getByRole('link', { name: 'The plan as it was after this' }).click();
	await expect(noah.locator('[data-testid="version-hope"]')).toHaveText('I want to walk the coast path.');
	await noah.getByTestId('restore-hope').click();
	await noah.getByTestId('restore-confirm').click();
	await expect(noah.getByTestId('restore-message')).toContainText('is back as it was');

	// The live plan has the old text; the history has a new change by Noah; Lee's words are still Lee's.
	await noah.goto(`/plans/${planId}`);
	await expect.poll(() => sectionText(noah, 'hope')).toBe('I want to walk the coast path.');
	await noah.getByTestId('authors-toggle').click();
	await expect(noah.locator('#section-hope .authored[title="Written by Lee Novak"]')).toHaveText('I want to walk the coast path.');
	await noah.goto(`/plans/${planId}/history`);
	await expect(sessions.first()).toContainText('Noah');
	await expect(sessions.first()).toContainText('Brought back an earlier version of “Hope and optimism”');
	await expect(sessions.first()).toContainText('56 characters removed');
	await noah.context().close();
});

test('a version becomes agreed when both sides agree; the plan header says so and notices later changes', async ({ browser }) => {
	const noah = await openPlanAs(browser, 'noah', planId);
	await noah.goto(`/plans/${planId}/versions`);
	await noah.getByLabel('Name (optional)').fill('Our plan for the spring');
	await noah.getByTestId('mark-agreed').click();
	await expect(noah.getByTestId('versions-message')).toContainText('is saved with your agreement');
	const version = noah.getByTestId('version').filter({ hasText: 'Our plan for the spring' });
	await expect(version).toHaveAttribute('data-status', 'waiting');
	// A professional cannot record disagreement (only the person whose plan it is can).
	await expect(version.getByRole('button', { name: 'I do not agree' })).toHaveCount(0);

	const lee = await openPlanAs(browser, 'lee', planId);
	await expect(lee.getByTestId('agreement')).toContainText('Not yet agreed by both sides');
	await lee.goto(`/plans/${planId}/versions`);
	const leeVersion = lee.getByTestId('version').filter({ hasText: 'Our plan for the spring' });
	await leeVersion.getByRole('button', { name: 'I agree with this version' }).click();
	await expect(leeVersion).toHaveAttribute('data-status', 'agreed');
	await expect(leeVersion).toContainText('Lee Novak');

	await lee.goto(`/plans/${planId}`);
	await expect(lee.getByTestId('agreement')).toContainText('Our plan for the spring');
	await expect(lee.getByTestId('agreement')).toContainText('No changes since');
	await expect(lee.getByTestId('connection-status')).toHaveText('Connected');
	await typeAtEndOf(lee, 'identity', 'I am a gardener.');
	await lee.reload();
	await expect(lee.getByTestId('agreement')).toContainText('Changed since');

	// Lee says he does not agree with a newer version, in his own words; the reason shows beside it.
	await lee.goto(`/plans/${planId}/versions`);
	await lee.getByLabel('Name (optional)').fill('Draft with gardening');
	await lee.getByTestId('save-version').click();
	const draft = lee.getByTestId('version').filter({ hasText: 'Draft with gardening' });
	await draft.getByRole('button', { name: 'I do not agree' }).click();
	await draft.getByLabel('What do you not agree with?').fill('The gardening goal should be mine to choose.');
	await draft.getByRole('button', { name: 'Save my answer' }).click();
	await expect(draft).toHaveAttribute('data-status', 'disagreed');
	await expect(draft).toContainText('“The gardening goal should be mine to choose.”');
	await lee.context().close();
	await noah.context().close();
});
