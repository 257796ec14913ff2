import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { addSession, type DemoUsername, expect, expectNoViolations, test } from './helpers';

// Every page, in German, as each kind of person: reached by following the links a person can follow from their home
// page (one page per route, however many plans it has), so a new page is walked without being listed here. On each:
// `<html lang="de">`, no sentence of the English message file, no English month, and axe finds nothing.

test.use({ locale: 'de-DE', timezoneId: 'Europe/Berlin' });
test.describe.configure({ timeout: 300_000 });

type Message = string | { match: Record<string, string> }[];
const messagesOf = (locale: string) => {
	const { $schema: _schema, ...messages } = JSON.parse(readFileSync(`messages/${locale}.json`, 'utf8')) as Record<string, Message>;
	return messages;
};
const textsOf = (message: Message | undefined): string[] =>
	message === undefined ? [] : typeof message === 'string' ? [message] : message.flatMap((variant) => Object.values(variant.match));

/**
 * The English file's sentences and labels, as pieces between placeholders, that the German file does not also
 * use (a name such as "Chorus" or "Empowerment" is the same in both): any of them on a German page is a string
 * that was not translated.
 */
function englishPieces(): string[] {
	const english = messagesOf('en');
	const german = messagesOf('de');
	const germanText = Object.values(german).flatMap(textsOf).join('\n');
	const pieces = new Set<string>();
	for (const [key, message] of Object.entries(english)) {
		const ours = textsOf(message);
		if (ours.join() === textsOf(german[key]).join()) continue;
		for (const text of ours) {
			for (const piece of text.split(/\{\w+\}/)) {
				const trimmed = piece.trim().replace(/^[\s,.:;·–—()“”"‘’]+|[\s,.:;·–—()“”"‘’]+$/g, '');
				if (trimmed.length >= 6 && /[a-z]/i.test(trimmed) && !germanText.includes(trimmed)) pieces.add(trimmed);
			}
		}
	}
	return [...pieces];
}

const ENGLISH_PIECES = englishPieces();
/** Common English words a German page has no reason to show outside what people wrote. */
const ENGLISH_WORDS = /(?<!\p{L})(the|your|you|please|with|this|that|what|which|when|there|here|been|has|have|will|would|could|should)(?!\p{L})/iu;
const ENGLISH_MONTHS = /\b(January|February|March|May|June|July|October|December|Mar|Oct|Dec)\b/;
export const GERMAN_DATE =
	/\d{1,2}\. ?(Jan\.?|Feb\.?|März|Apr\.?|Mai|Juni|Juli|Aug\.?|Sept\.?|Okt\.?|Nov\.?|Dez\.?|Januar|Februar|April|August|September|Oktober|November|Dezember) \d{4}/;

/** What the page itself says, in text and in attributes read out by screen readers, without what people wrote. */
async function interfaceText(page: Page): Promise<string> {
	return page.evaluate(() => {
		// What people wrote: plan sections, goals and steps, names of people, teams and plans.
		const theirs = '.ProseMirror, [contenteditable], textarea, [data-user-content], script, style';
		const texts: string[] = [document.title];
		const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
		for (let node = walker.nextNode(); node; node = walker.nextNode()) {
			const text = node.textContent?.trim();
			if (text && !node.parentElement?.closest(theirs)) texts.push(text);
		}
		for (const element of document.querySelectorAll('[aria-label], [title], [placeholder], [alt], [aria-description]')) {
			if (element.closest(theirs)) continue;
			for (const name of ['aria-label', 'title', 'placeholder', 'alt', 'aria-description']) {
				const value = element.getAttribute(name)?.trim();
				if (value) texts.push(value);
			}
		}
		return texts.join('\n');
	});
}

/** Names and titles from the demo data (written by people, in English): not the interface's words. */
const DEMO_WORDS =
	/(Sam|Jordan|Lee|Casey|Morgan)’s recovery plan|the Riverside crisis line|Evenings from 5 pm, nights and weekends|In an emergency, call 999\.|Our plan for the winter|Riverside|Northgate/g;

async function expectGerman(page: Page, what: string): Promise<void> {
	await expect(page.locator('html'), what).toHaveAttribute('lang', 'de');
	const text = (await interfaceText(page)).replace(DEMO_WORDS, '');
	const english = ENGLISH_PIECES.filter((piece) => text.includes(piece));
	expect(english, `English on ${what}`).toEqual([]);
	const lines = text.split('\n').filter((line) => ENGLISH_WORDS.test(line) || ENGLISH_MONTHS.test(line));
	expect(lines, `English words or dates on ${what}`).toEqual([]);
	await expectNoViolations(page, what);
}

/** A route's shape: one page per route is enough (/plans/<id>/at/<n> once, not for every change). */
const routeOf = (path: string) =>
	path
		.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>')
		.replace(/\/\d+(?=\/|$)/g, '/<n>')
		.replace(/\?.*$/, '');

/** Links a person can follow to another page of Chorus (not a download, an API answer, signing out or a form). */
async function pageLinks(page: Page): Promise<string[]> {
	return page.evaluate(() =>
		[...document.querySelectorAll<HTMLAnchorElement>('a[href^="/"]')]
			.filter((link) => !link.hasAttribute('download'))
			.map((link) => link.getAttribute('href')!)
			.filter((href) => !/^\/(api|logout|language)\b|\/download\b|#/.test(href))
	);
}

/** Walks every route this person can reach from their home page, checking each page once. */
async function walk(page: Page, who: string, limit = 30): Promise<string[]> {
	const seen = new Set<string>();
	const queue = ['/'];
	const walked: string[] = [];
	while (queue.length > 0 && walked.length < limit) {
		const path = queue.shift()!;
		const route = routeOf(path);
		if (seen.has(route)) continue;
		seen.add(route);
		const response = await page.goto(path);
		expect(response?.status(), `${who}: ${path}`).toBeLessThan(400);
		await page.waitForLoadState('networkidle');
		walked.push(route);
		await expectGerman(page, `${who}: ${route}`);
		for (const link of await pageLinks(page)) if (!seen.has(routeOf(link))) queue.push(link);
	}
	return walked;
}

test('the sign-in page and a missing page are in German for a German browser', async ({ page }) => {
	await page.goto('/login');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bei Chorus anmelden');
	await expectGerman(page, 'the sign-in page');
	const missing = await page.goto('/no-such-page');
	expect(missing?.status()).toBe(404);
	await expectGerman(page, 'the page that is not there');
});

const WALKS: { who: DemoUsername; role: string; reaches: string[] }[] = [
	{
		who: 'casey',
		role: 'a person using services',
		reaches: ['/', '/plans/<id>', '/plans/<id>/history', '/plans/<id>/versions', '/plans/<id>/print', '/plans/<id>/crisis-card', '/account', '/notifications']
	},
	{ who: 'priya', role: 'a professional', reaches: ['/', '/plans/<id>', '/plans/<id>/history', '/account'] },
	{ who: 'maria', role: 'a supervisor', reaches: ['/', '/audit', '/audit/plans/<id>', '/plans/<id>', '/account'] },
	{ who: 'robin', role: 'an administrator', reaches: ['/', '/admin', '/admin/teams', '/admin/plans', '/account'] }
];

for (const { who, role, reaches } of WALKS) {
	test(`every page ${role} can reach is in German (${who})`, async ({ page }) => {
		await addSession(page.context(), who);
		const walked = await walk(page, who);
		expect(walked).toEqual(expect.arrayContaining(reaches));
		await page.goto('/account');
		await expect(page.locator('main'), 'dates in German form on the account page').toContainText(GERMAN_DATE);
	});
}
