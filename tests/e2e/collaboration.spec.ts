import { PLAN_CONTENT_MARKER } from '../helpers/plan-doc';
import { expect, openPlanAs, planIdOf, sectionText, test } from './helpers';

// Jordan’s plan (care team: Priya; supervisor: Maria), so other files' checks of Sam’s plan stay independent.
let planId: string;

test.beforeAll(async () => {
	planId = await planIdOf('jordan');
});

test('two people write the same section live and see each other’s words, carets and presence', async ({ browser }) => {
	const jordan = await openPlanAs(browser, 'jordan', planId);
	const priya = await openPlanAs(browser, 'priya', planId);

	await expect(jordan.getByTestId('presence-list')).toContainText('Jordan Lee (you)');
	await expect(jordan.getByTestId('presence-list')).toContainText('Priya Shah');
	await expect(priya.getByTestId('presence-list')).toContainText('Jordan Lee');

	const jordanAbout = jordan.getByTestId('editor-about');
	await jordanAbout.click();
	await jordan.keyboard.type('I am good at fixing bikes.');
	await expect(priya.getByTestId('editor-about')).toContainText('I am good at fixing bikes.');

	const priyaAbout = priya.getByTestId('editor-about');
	await priyaAbout.click();
	await priya.keyboard.press('End');
	await priya.keyboard.type(' Jordan helps neighbours with repairs.');
	await expect.poll(() => sectionText(jordan, 'about')).toBe('I am good at fixing bikes. Jordan helps neighbours with repairs.');

	// Priya's caret, with her name, shows in Jordan's editor.
	await expect(jordan.locator('[data-testid="editor-about"] .collaboration-caret-label', { hasText: 'Priya Shah' })).toBeVisible();
	await expect(jordan.getByTestId('save-status')).toHaveText('All changes saved');
	await expect(priya.getByTestId('save-status')).toHaveText('All changes saved');

	// After a reload, everything is there (it came from the server, not from browser storage).
	await priya.reload();
	await expect.poll(() => sectionText(priya, 'about')).toBe('I am good at fixing bikes. Jordan helps neighbours with repairs.');
	// No plan content in browser storage (SvelteKit keeps only scroll positions there).
	const stored = await priya.evaluate(async () => ({
		web: [localStorage, sessionStorage].flatMap((storage) => Object.keys(storage).map((key) => `${key}=${storage.getItem(key)}`)).join('\n'),
		indexedDb: (await indexedDB.databases()).length
	}));
	expect(stored.web).not.toContain('bikes');
	expect(stored.web).not.toContain('neighbours');
	expect(stored.indexedDb).toBe(0);

	await jordan.context().close();
	await priya.context().close();
});

test('a goal added by one person appears for the other, with its status and steps', async ({ browser }) => {
	const jordan = await openPlanAs(browser, 'jordan', planId);
	const priya = await openPlanAs(browser, 'priya', planId);

	await jordan.getByRole('button', { name: 'Add a goal for hope and optimism' }).click();
	const goalText = jordan.locator('#section-hope textarea').first();
	await expect(goalText).toBeFocused();
	await jordan.keyboard.type('Ride to the coast this summer');
	await jordan.locator('#section-hope').getByLabel('Status').selectOption('active');

	const priyaGoal = priya.locator('#section-hope textarea').first();
	await expect(priyaGoal).toHaveValue('Ride to the coast this summer');
	await expect(priya.locator('#section-hope').getByLabel('Status')).toHaveValue('active');

	await priya.locator('#section-hope').getByRole('button', { name: 'Add a step' }).click();
	await priya.keyboard.type('Check the bike brakes');
	await expect(jordan.locator('#section-hope textarea[placeholder="What"]')).toHaveValue('Check the bike brakes');
	await expect(jordan.getByTestId('save-status')).toHaveText('All changes saved');

	await jordan.context().close();
	await priya.context().close();
});

test('the save indicator says saved only once the server has confirmed', async ({ browser }) => {
	const jordan = await openPlanAs(browser, 'jordan', planId);
	const status = jordan.getByTestId('save-status');
	await expect(status).toHaveText('All changes saved');
	// Hold back what the page sends for a moment: until the server has it and confirms, typing is not "saved".
	await jordan.evaluate(() => {
		type Held = [WebSocket, Parameters<WebSocket['send']>[0]];
		const original = WebSocket.prototype.send;
		const held: Held[] = [];
		WebSocket.prototype.send = function (this: WebSocket, data) {
			held.push([this, data]);
		};
		(window as unknown as { __release: () => void }).__release = () => {
			WebSocket.prototype.send = original;
			for (const [socket, data] of held) original.call(socket, data);
		};
	});
	await jordan.getByTestId('editor-meaning').click();
	await jordan.keyboard.type('Volunteering at the repair café.');
	await expect(status).toHaveText('Saving…');
	await jordan.evaluate(() => (window as unknown as { __release: () => void }).__release());
	await expect(status).toHaveText('All changes saved');
	await jordan.context().close();
});

test('a supervisor watches without being able to change anything', async ({ browser }) => {
	const jordan = await openPlanAs(browser, 'jordan', planId);
	const maria = await openPlanAs(browser, 'maria', planId);

	await expect(maria.getByRole('note')).toContainText('You can read this plan');
	await expect(jordan.getByTestId('presence-list')).toContainText('Maria Okafor');
	await expect(maria.getByTestId('editor-identity')).toHaveAttribute('contenteditable', 'false');
	await expect(maria.getByTestId('save-status')).toHaveCount(0);
	await expect(maria.getByRole('button', { name: /Add a goal/ })).toHaveCount(0);

	await jordan.getByTestId('editor-identity').click();
	await jordan.keyboard.type('Dad, cyclist, good listener.');
	await expect(maria.getByTestId('editor-identity')).toContainText('Dad, cyclist, good listener.');

	await maria.getByTestId('editor-identity').click();
	await maria.keyboard.type('SUPERVISOR TEXT');
	await expect(maria.getByTestId('editor-identity')).not.toContainText('SUPERVISOR TEXT');
	await expect(jordan.getByTestId('editor-identity')).not.toContainText('SUPERVISOR TEXT');

	await jordan.context().close();
	await maria.context().close();
});

test('everything the toolbar and typing shortcuts make is accepted by the server, saved and there after a reload', async ({ browser }) => {
	// The server refuses changes outside the plan format: the editor's own output must always fit it.
	const jordan = await openPlanAs(browser, 'jordan', planId);
	const editor = jordan.getByTestId('editor-barriers');
	await editor.click();
	await jordan.keyboard.type('### Hard days');
	await jordan.keyboard.press('Enter');
	await jordan.keyboard.type(`Noise at night, ${PLAN_CONTENT_MARKER}. What helps: `);
	await jordan.keyboard.press('Control+b');
	await jordan.keyboard.type('earplugs');
	await jordan.keyboard.press('Control+b');
	await jordan.keyboard.press('Shift+Enter');
	await jordan.keyboard.type('and my support group, https://example.org/group ');
	await jordan.keyboard.press('Enter');
	await jordan.keyboard.type('- walking');
	await jordan.keyboard.press('Enter');
	await jordan.keyboard.press('Tab');
	await jordan.keyboard.type('by the river');
	await jordan.keyboard.press('Enter');
	await jordan.keyboard.press('Enter');
	await jordan.keyboard.press('Enter');
	await jordan.keyboard.type('1. call Priya');
	await jordan.keyboard.press('Enter');
	await jordan.keyboard.press('Enter');
	await jordan.keyboard.type('[ ] book the GP');
	await jordan.keyboard.press('Enter');
	await jordan.keyboard.press('Enter');
	await jordan.keyboard.type('> I know what helps me.');
	await expect(jordan.getByTestId('save-status')).toHaveText('All changes saved');
	await expect(jordan.getByTestId('connection-status')).not.toContainText(/reload|ended/i);

	await jordan.reload();
	const reloaded = jordan.getByTestId('editor-barriers');
	await expect(reloaded.locator('h3')).toHaveText('Hard days');
	await expect(reloaded.locator('strong')).toHaveText('earplugs');
	await expect(reloaded.locator('a[href="https://example.org/group"]')).toHaveText('https://example.org/group');
	await expect(reloaded.locator('p br:not(.ProseMirror-trailingBreak)')).toHaveCount(1);
	await expect(reloaded.locator('ul li ul li')).toContainText('by the river');
	await expect(reloaded.locator('ol li')).toContainText('call Priya');
	await expect(reloaded.locator('ul[data-type="taskList"] li')).toContainText('book the GP');
	await expect(reloaded.locator('blockquote')).toContainText('I know what helps me.');
	expect(await sectionText(jordan, 'barriers')).toContain(PLAN_CONTENT_MARKER);
});
