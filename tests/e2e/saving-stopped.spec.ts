import type { Page } from '@playwright/test';
import { addToCareTeam, removeFromCareTeam } from '../../server/commands/care-teams.ts';
import { OPERATOR } from '../../server/commands/actor.ts';
import { DEMO_PASSWORD, addSession, expect, expectNoViolations, openPlanAs, planIdOf, sectionText, test } from './helpers';

// When a plan can no longer be saved, the page says why in one message, stops taking changes, and keeps what was
// not saved: sent after signing in again, or offered as a copy when it cannot be sent.

/**
 * Sends the page's socket messages on to the real server, except while `holding`: then what the page sends waits
 * (a slow network), so the server has not acknowledged it when the connection ends. Held messages are never sent.
 */
async function slowNetwork(page: Page): Promise<{ hold(): void; sockets(): number }> {
	let sockets = 0;
	/** The socket whose messages are held from now on (later sockets are not). */
	let held = 0;
	await page.routeWebSocket(/\/collab\//, (socket) => {
		const number = ++sockets;
		const server = socket.connectToServer();
		socket.onMessage((message) => {
			if (number !== held) server.send(message);
		});
	});
	return {
		hold: () => (held = sockets),
		sockets: () => sockets
	};
}

test('signed out elsewhere while typing: one message, typing stops, signing in again saves the words typed before', async ({ browser }) => {
	test.setTimeout(60_000); // two accessibility scans
	const planId = await planIdOf('jordan');
	const context = await browser.newContext();
	await addSession(context, 'jordan');
	const jordan = await context.newPage();
	const network = await slowNetwork(jordan);
	await jordan.goto(`/plans/${planId}`);
	await expect(jordan.getByTestId('connection-status')).toHaveText('Connected');

	await jordan.getByRole('button', { name: 'Add a goal for meaning in life' }).click();
	await jordan.keyboard.type('Volunteer at the library');
	const editor = jordan.getByTestId('editor-meaning');
	await editor.click();
	await jordan.keyboard.press('Control+End');
	await jordan.keyboard.type(' Saved at once.');
	await expect(jordan.getByTestId('save-status')).toHaveText('All changes saved');
	// The network slows down: these words reach the page's document but not the server.
	network.hold();
	await jordan.keyboard.type(' Typed on a slow connection.');
	await expect(jordan.getByTestId('save-status')).toHaveText('Saving…');
	const typed = await sectionText(jordan, 'meaning');
	expect(typed).toContain('Typed on a slow connection.');

	// Jordan signs out in another tab.
	const otherTab = await context.newPage();
	await otherTab.goto('/');
	await otherTab.getByRole('button', { name: 'Sign out' }).click();
	await expect(otherTab).toHaveURL(/\/login/);

	const stopped = jordan.getByTestId('saving-stopped');
	await expect(stopped).toContainText('You were signed out (in another tab or on another device), so this plan is not being saved.');
	await expect(stopped).toContainText('What you wrote last is kept on this page: sign in again to save it.');
	// One message: no save status beside it, no other alert.
	await expect(jordan.getByRole('alert')).toHaveCount(1);
	await expect(jordan.getByTestId('save-status')).toHaveCount(0);
	// Typing stops, in the sections and the goals.
	await expect(editor).toHaveAttribute('contenteditable', 'false');
	await editor.click();
	await jordan.keyboard.type('lost?');
	expect(await sectionText(jordan, 'meaning')).toBe(typed);
	await expect(jordan.locator('#section-meaning textarea').first()).toHaveAttribute('readonly', '');
	await expect(jordan.getByRole('button', { name: /Add a goal/ })).toHaveCount(0);
	await expectNoViolations(jordan, 'a plan page that can no longer save');

	// Signing in again, on this page: the words typed before are saved.
	await stopped.getByRole('button', { name: 'Sign in again' }).click();
	const dialog = jordan.getByRole('dialog', { name: 'Sign in again' });
	await expect(dialog.getByLabel('Username')).toHaveValue('jordan');
	await expect(dialog.getByLabel('Password')).toBeFocused();
	await expectNoViolations(jordan, 'the sign-in-again dialog');
	await dialog.getByLabel('Password').fill('not the password');
	await dialog.getByRole('button', { name: 'Sign in and save' }).click();
	await expect(dialog.getByRole('alert')).toContainText('That username and password do not match.');
	await dialog.getByLabel('Password').fill(DEMO_PASSWORD);
	await dialog.getByRole('button', { name: 'Sign in and save' }).click();
	await expect(dialog).toBeHidden();
	await expect(jordan.getByTestId('save-status')).toHaveText('All changes saved');
	await expect(jordan.getByTestId('connection-status')).toHaveText('Connected');
	await expect(stopped).toHaveCount(0);
	expect(network.sockets()).toBe(2);
	await expect(editor).toHaveAttribute('contenteditable', 'true');

	// Priya, in a browser of her own, reads what Jordan typed on the slow connection.
	const priya = await openPlanAs(browser, 'priya', planId);
	await expect.poll(() => sectionText(priya, 'meaning')).toBe(typed);
	await priya.context().close();
	await context.close();
});

test('a session that ended while the page was not connected: the page stops retrying and offers to sign in again', async ({ browser }) => {
	const planId = await planIdOf('jordan');
	const context = await browser.newContext();
	await addSession(context, 'jordan');
	const jordan = await context.newPage();
	let sockets = 0;
	// The first socket's end reaches the page as a dropped network connection, not as the server's "signed out"
	// (as after a laptop slept); the sockets after it go to the real server, which refuses them with HTTP 401.
	await jordan.routeWebSocket(/\/collab\//, (socket) => {
		const number = ++sockets;
		const server = socket.connectToServer();
		if (number === 1) server.onClose(() => socket.close({ code: 1001, reason: 'Network changed' }));
	});
	await jordan.goto(`/plans/${planId}`);
	await expect(jordan.getByTestId('connection-status')).toHaveText('Connected');

	const otherTab = await context.newPage();
	await otherTab.goto('/');
	await otherTab.getByRole('button', { name: 'Sign out' }).click();
	await expect(otherTab).toHaveURL(/\/login/);

	const stopped = jordan.getByTestId('saving-stopped');
	await expect(stopped).toContainText('You are no longer signed in, so this plan is not being saved.');
	await expect(jordan.getByTestId('connection-status')).toHaveText('Disconnected');
	const attempts = sockets;
	expect(attempts).toBeGreaterThanOrEqual(3);
	await stopped.getByRole('button', { name: 'Sign in again' }).click();
	const dialog = jordan.getByRole('dialog', { name: 'Sign in again' });
	await dialog.getByLabel('Password').fill(DEMO_PASSWORD);
	await dialog.getByRole('button', { name: 'Sign in and save' }).click();
	await expect(jordan.getByTestId('connection-status')).toHaveText('Connected');
	await expect(stopped).toHaveCount(0);
	expect(sockets).toBe(attempts + 1);
	await context.close();
});

test('access removed: the page says so, stops taking changes, and offers a copy of what was not saved', async ({ browser, serverDatabase }) => {
	const planId = await planIdOf('sam');
	const db = await serverDatabase.db();
	const context = await browser.newContext();
	await addSession(context, 'alex');
	const alex = await context.newPage();
	const network = await slowNetwork(alex);
	await alex.goto(`/plans/${planId}`);
	await expect(alex.getByTestId('connection-status')).toHaveText('Connected');
	try {
		await alex.getByTestId('editor-barriers').click();
		await alex.keyboard.press('Control+End');
		network.hold();
		await alex.keyboard.type(' Walking together on Tuesdays helps.');

		expect((await removeFromCareTeam({ db, actor: OPERATOR }, planId, { username: 'alex' })).ok).toBe(true);
		const stopped = alex.getByTestId('saving-stopped');
		await expect(stopped).toContainText('You no longer have access to this plan, so it can no longer be saved from this page.');
		await expect(stopped).toContainText('What you wrote last could not be saved: you can keep a copy of it.');
		await expect(alex.getByRole('alert')).toHaveCount(1);
		await expect(stopped.getByRole('button', { name: 'Sign in again' })).toHaveCount(0);
		await expect(alex.getByTestId('editor-barriers')).toHaveAttribute('contenteditable', 'false');

		await stopped.getByRole('button', { name: 'Keep a copy of what was not saved' }).click();
		const copy = alex.getByRole('dialog', { name: 'What was not saved' });
		await expect(copy.getByRole('textbox')).toHaveValue(/^What gets in the way, and what helps\n.*Walking together on Tuesdays helps\.$/);
		const download = alex.waitForEvent('download');
		await copy.getByRole('button', { name: 'Download' }).click();
		expect((await download).suggestedFilename()).toBe('my-unsaved-words.txt');
	} finally {
		await addToCareTeam({ db, actor: OPERATOR }, planId, { username: 'alex' });
		await context.close();
	}
});

test('a paste larger than the server accepts is refused in the editor, with no reconnecting, and the rest still saves', async ({ browser }) => {
	const planId = await planIdOf('jordan');
	const context = await browser.newContext();
	await addSession(context, 'jordan');
	const jordan = await context.newPage();
	let sockets = 0;
	jordan.on('websocket', () => (sockets += 1));
	await jordan.goto(`/plans/${planId}`);
	await expect(jordan.getByTestId('connection-status')).toHaveText('Connected');

	const editor = jordan.getByTestId('editor-identity');
	await editor.click();
	await jordan.keyboard.press('Control+End');
	const before = await sectionText(jordan, 'identity');
	// 1.3 MB of text, pasted as a browser pastes it.
	await editor.evaluate((element) => {
		const clipboard = new DataTransfer();
		clipboard.setData('text/plain', 'A very long letter I was sent. '.repeat(42_000));
		element.dispatchEvent(new ClipboardEvent('paste', { clipboardData: clipboard, bubbles: true, cancelable: true }));
	});
	const refused = jordan.getByTestId('change-refused');
	await expect(refused).toContainText('That is too much to add in one go (about 1.3 MB; a plan takes up to 1.0 MB at a time), so it was not added.');
	expect(await sectionText(jordan, 'identity')).toBe(before);
	await expect(jordan.getByTestId('saving-stopped')).toHaveCount(0);

	// The same in a goal's words.
	const goal = jordan.locator('#section-identity textarea').first();
	if ((await goal.count()) === 0) await jordan.getByRole('button', { name: 'Add a goal for identity' }).click();
	const goalBefore = await goal.inputValue();
	await goal.fill('x'.repeat(1_300_000));
	await expect(goal).toHaveValue(goalBefore);
	await refused.getByRole('button', { name: 'OK' }).click();
	await expect(refused).toHaveCount(0);

	// Everything else carries on: the next words are saved, on the same connection.
	await editor.click();
	await jordan.keyboard.press('Control+End');
	await jordan.keyboard.type(' I like long walks.');
	await expect(jordan.getByTestId('save-status')).toHaveText('All changes saved');
	const priya = await openPlanAs(browser, 'priya', planId);
	await expect.poll(() => sectionText(priya, 'identity')).toBe(`${before} I like long walks.`);
	expect(sockets).toBe(1);
	await priya.context().close();
	await context.close();
});

test('when the server closes a connection for a message too large, the page stops, explains and does not reconnect', async ({ browser }) => {
	const planId = await planIdOf('jordan');
	const context = await browser.newContext();
	await addSession(context, 'jordan');
	const jordan = await context.newPage();
	let sockets = 0;
	let sendTooLarge: (() => void) | undefined;
	// A message the editor would never send, sent on the page's socket to the real server.
	await jordan.routeWebSocket(/\/collab\//, (socket) => {
		sockets += 1;
		const server = socket.connectToServer();
		sendTooLarge = () => server.send(Buffer.alloc(1_100_000, 2));
	});
	let pageSockets = 0;
	jordan.on('websocket', () => (pageSockets += 1));
	await jordan.goto(`/plans/${planId}`);
	await expect(jordan.getByTestId('connection-status')).toHaveText('Connected');
	expect(pageSockets, 'the page reports its routed sockets').toBe(1);
	await jordan.getByTestId('editor-hope').click();
	await jordan.keyboard.press('Control+End');
	await jordan.keyboard.type(' Saved first.');
	await expect(jordan.getByTestId('save-status')).toHaveText('All changes saved');

	sendTooLarge!();
	const stopped = jordan.getByTestId('saving-stopped');
	await expect(stopped).toContainText('Your last change is too large to save, so this plan is not being saved. Everything before it is safe.');
	await expect(stopped).toContainText('Everything you wrote is saved.');
	await expect(stopped.getByRole('button', { name: 'Reload the page' })).toBeVisible();
	await expect(jordan.getByTestId('connection-status')).toHaveText('Disconnected');
	// No new socket follows (the old behaviour reconnected within a second, again and again).
	await expect(jordan.waitForEvent('websocket', { timeout: 3_000 })).rejects.toThrow();
	expect(sockets).toBe(1);
	await context.close();
});
