import type { Page } from '@playwright/test';
import { and, eq } from 'drizzle-orm';
import { findAccountByUsername } from '../../db/accounts.ts';
import { seal } from '../../db/secret-box.ts';
import { auditEvent, totpCredential } from '../../db/schema/index.ts';
import { markSecondFactorVerified } from '../../db/session.ts';
import { hashToken } from '../../db/tokens.ts';
import { TEST_SIGN_IN_ENV } from '../helpers/e2e-server-env.ts';
import { findSession, setLastActivity } from '../helpers/e2e-sessions.ts';
import { DEMO_PASSWORD, addSession, expect, expectNoViolations, openPlanAs, planIdOf, sectionText, test } from './helpers';

// A staff session ends after 30 minutes without activity (STAFF_IDLE_MINUTES). The open plan warns two minutes
// before, "Stay signed in" keeps the session, and when it does end nothing typed is lost: signing in again on the
// page saves it. Time passes in two places: the session's last activity is moved back in the database, and the
// browser's clock is moved forward (the server's socket sweep runs on its own, every few seconds).

/** Passes the page's socket messages on, except those of the socket that was open when `hold` was called. */
async function slowNetwork(page: Page): Promise<{ hold(): void }> {
	let sockets = 0;
	let held = 0;
	await page.routeWebSocket(/\/collab\//, (socket) => {
		const number = ++sockets;
		const server = socket.connectToServer();
		socket.onMessage((message) => {
			if (number !== held) server.send(message);
		});
	});
	return { hold: () => (held = sockets) };
}

test('an idle staff session: a calm warning first, then the end, and every word typed is saved after signing in again', async ({ browser, serverDatabase }) => {
	test.setTimeout(90_000);
	const db = await serverDatabase.db();
	const planId = await planIdOf('sam');
	const context = await browser.newContext();
	await addSession(context, 'tom');
	const token = (await context.cookies()).find((cookie) => cookie.name === 'session')!.value;
	const tom = await context.newPage();
	await tom.clock.install();
	const network = await slowNetwork(tom);
	await tom.goto(`/plans/${planId}`);
	await expect(tom.getByTestId('connection-status')).toHaveText('Connected');

	const editor = tom.getByTestId('editor-identity');
	await editor.click();
	await tom.keyboard.press('Control+End');
	await tom.keyboard.type(' Before the break.');
	await expect(tom.getByTestId('save-status')).toHaveText('All changes saved');
	await expect(tom.getByTestId('idle-warning')).toHaveCount(0);

	// 28½ minutes without activity: the page asks how long is left and warns, taking focus to its one button.
	await setLastActivity(db, token, 28.5);
	await tom.clock.fastForward('28:30');
	const warning = tom.getByRole('alertdialog', { name: 'You will be signed out in 2 minutes to keep this plan safe.' });
	await expect(warning).toBeVisible();
	const stay = warning.getByRole('button', { name: 'Stay signed in' });
	await expect(stay).toBeFocused();
	await expectNoViolations(tom, 'the plan page warning before the session ends');
	// Asking was no activity; staying is.
	expect((await findSession(db, token))!.lastActiveAt.getTime()).toBeLessThan(Date.now() - 28 * 60_000);
	await tom.keyboard.press('Enter');
	await expect(warning).toHaveCount(0);
	await expect.poll(async () => (await findSession(db, token))!.lastActiveAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
	await expect(tom.getByTestId('connection-status')).toHaveText('Connected');

	// Words on their way when the session runs out: the server never gets them over this connection.
	await editor.click();
	await tom.keyboard.press('Control+End');
	network.hold();
	await tom.keyboard.type(' Typed as the session ran out.');
	await expect(tom.getByTestId('save-status')).toHaveText('Saving…');
	const typed = await sectionText(tom, 'identity');
	expect(typed).toContain('Before the break. Typed as the session ran out.');

	// Over 30 minutes: the server's sweep closes the plan's socket, and the page says why, keeping the words.
	await setLastActivity(db, token, 31);
	const stopped = tom.getByTestId('saving-stopped');
	await expect(stopped).toHaveAttribute('data-reason', 'session-expired');
	await expect(stopped).toContainText('You have been signed out because the page was not used for a while');
	await expect(stopped).toContainText('What you wrote last is kept on this page: sign in again to save it.');
	await expect(tom.getByTestId('idle-warning')).toHaveCount(0);
	await expect(editor).toHaveAttribute('contenteditable', 'false');
	expect(await sectionText(tom, 'identity')).toBe(typed);

	// Any other page now sends Tom to sign in, saying why.
	const otherTab = await context.newPage();
	await otherTab.goto('/');
	await expect(otherTab).toHaveURL(/\/login\?reason=idle$/);
	await expect(otherTab.getByTestId('signed-out-idle')).toHaveText(
		'You were signed out after 30 minutes without activity, to keep people’s plans safe. Please sign in again.'
	);
	expect(await findSession(db, token)).toBeNull();
	const idleEnds = () =>
		db
			.select()
			.from(auditEvent)
			.where(and(eq(auditEvent.action, 'session.ended_idle'), eq(auditEvent.targetId, hashToken(token))));
	expect(await idleEnds()).toEqual([expect.objectContaining({ actorId: null, targetType: 'session', detail: expect.objectContaining({ idleMinutes: 30 }) })]);
	await otherTab.close();

	// Signing in again on the plan page sends what the server lacks.
	await stopped.getByRole('button', { name: 'Sign in again' }).click();
	const dialog = tom.getByRole('dialog', { name: 'Sign in again' });
	await dialog.getByLabel('Password').fill(DEMO_PASSWORD);
	await dialog.getByRole('button', { name: 'Sign in and save' }).click();
	await expect(dialog).toBeHidden();
	await expect(tom.getByTestId('save-status')).toHaveText('All changes saved');
	await expect(editor).toHaveAttribute('contenteditable', 'true');

	const priya = await openPlanAs(browser, 'priya', planId);
	await expect.poll(() => sectionText(priya, 'identity')).toBe(typed);
	await priya.context().close();
	await context.close();
});

test('signing in again when a second factor is due: the step opens in a new tab, and the words wait on the page until it is done', async ({
	browser,
	serverDatabase
}) => {
	const db = await serverDatabase.db();
	const planId = await planIdOf('sam');
	const alexId = (await findAccountByUsername(db, 'alex'))!.id;
	const context = await browser.newContext();
	await addSession(context, 'alex');
	const token = (await context.cookies()).find((cookie) => cookie.name === 'session')!.value;
	const alex = await context.newPage();
	const network = await slowNetwork(alex);
	await alex.goto(`/plans/${planId}`);
	await expect(alex.getByTestId('connection-status')).toHaveText('Connected');
	try {
		await alex.getByTestId('editor-barriers').click();
		await alex.keyboard.press('Control+End');
		network.hold();
		await alex.keyboard.type(' Bus fares are hard this month.');
		const typed = await sectionText(alex, 'barriers');
		// Alex now has an authenticator app, and the session runs out.
		const key = Buffer.from(TEST_SIGN_IN_ENV.ENCRYPTION_KEY, 'base64');
		await db.insert(totpCredential).values({ userId: alexId, sealedKey: seal(key, new Uint8Array(20).fill(9)), confirmedAt: new Date() });
		await setLastActivity(db, token, 31);
		const stopped = alex.getByTestId('saving-stopped');
		await expect(stopped).toHaveAttribute('data-reason', 'session-expired');

		await stopped.getByRole('button', { name: 'Sign in again' }).click();
		const dialog = alex.getByRole('dialog', { name: 'Sign in again' });
		await dialog.getByLabel('Password').fill(DEMO_PASSWORD);
		await dialog.getByRole('button', { name: 'Sign in and save' }).click();
		await expect(dialog).toContainText('One more step: confirm it is you with your second factor.');
		await expect(dialog.getByRole('link', { name: 'Open the second step in a new tab' })).toHaveAttribute('href', /^\/login\/verify/);
		await expect(dialog.getByRole('link', { name: 'Open the second step in a new tab' })).toHaveAttribute('target', '_blank');
		await expectNoViolations(alex, 'the second step of signing in again');
		// Not done yet: the page says so and keeps the words.
		await dialog.getByRole('button', { name: 'I have done it: save now' }).click();
		await expect(dialog.getByRole('alert')).toHaveText('You are not signed in completely yet. Please finish the second step in the other tab, then try again.');
		expect(await sectionText(alex, 'barriers')).toBe(typed);

		// The second step is done in the other tab (here: straight in the database, as its page would).
		const newToken = (await context.cookies()).find((cookie) => cookie.name === 'session')!.value;
		expect(newToken).not.toBe(token);
		await markSecondFactorVerified(db, hashToken(newToken));
		await dialog.getByRole('button', { name: 'I have done it: save now' }).click();
		await expect(dialog).toBeHidden();
		await expect(alex.getByTestId('save-status')).toHaveText('All changes saved');
		const priya = await openPlanAs(browser, 'priya', planId);
		await expect.poll(() => sectionText(priya, 'barriers')).toBe(typed);
		await priya.context().close();
	} finally {
		await db.delete(totpCredential).where(eq(totpCredential.userId, alexId));
		await context.close();
	}
});

test('people using services get no warning: their sessions have no idle limit', async ({ browser }) => {
	const planId = await planIdOf('sam');
	const context = await browser.newContext();
	await addSession(context, 'sam');
	const sam = await context.newPage();
	await sam.clock.install();
	await sam.goto(`/plans/${planId}`);
	await expect(sam.getByTestId('connection-status')).toHaveText('Connected');
	await sam.clock.fastForward('45:00');
	await expect(sam.getByTestId('connection-status')).toHaveText('Connected');
	await expect(sam.getByTestId('idle-warning')).toHaveCount(0);
	await context.close();
});
