import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { user } from '../../db/schema/index.ts';
import { signInCookie } from '../helpers/http-session.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

// Which language a page is in: the person's saved choice, else this device's choice (the sign-in page's switch),
// else the browser's languages, else the installation's DEFAULT_LOCALE — here German, so English can only come
// from a person or a browser asking for it.

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer({ DEFAULT_LOCALE: 'de' });
});
afterAll(() => server?.dispose());

/** The `lang` of the page at `path`, asked for with these headers. */
async function languageOf(path: string, headers: Record<string, string> = {}): Promise<string | undefined> {
	const response = await fetch(`${server.url}${path}`, { headers: { accept: 'text/html', ...headers } });
	expect(response.status).toBe(200);
	return /<html lang="([^"]*)"/.exec(await response.text())?.[1];
}

/** Chooses a language through the one form both switches post to; says where it leads and what cookie it set. */
async function choose(language: string, cookie = '', next = '/account') {
	const response = await fetch(`${server.url}/language?next=${encodeURIComponent(next)}`, {
		method: 'POST',
		redirect: 'manual',
		headers: { origin: server.origin, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', cookie },
		body: new URLSearchParams({ language })
	});
	const setCookie = response.headers.getSetCookie().find((value) => value.startsWith('chorus_locale='));
	return { status: response.status, location: response.headers.get('location'), cookie: setCookie?.split(';')[0], body: await response.text() };
}

async function savedLanguageOf(username: string): Promise<string | null> {
	const storage = await server.openStorage();
	try {
		const [row] = await storage.db.select({ locale: user.locale }).from(user).where(eq(user.username, username));
		return row?.locale ?? null;
	} finally {
		await storage.close();
	}
}

describe('a browser that says nothing, or asks for a language Chorus does not have', () => {
	it('gets the installation’s language', async () => {
		expect(await languageOf('/login')).toBe('de');
		expect(await languageOf('/login', { 'accept-language': 'fr-FR,fr;q=0.9,es;q=0.5' })).toBe('de');
		expect(await languageOf('/login', { 'accept-language': '*' })).toBe('de');
		expect(await languageOf('/login', { 'accept-language': ';;;,q=,en;q=abc' })).toBe('de');
	});

	it('gets the first of its languages Chorus speaks, by weight, a regional form matching its language', async () => {
		expect(await languageOf('/login', { 'accept-language': 'en-GB' })).toBe('en');
		expect(await languageOf('/login', { 'accept-language': 'fr-CH, en;q=0.8, de;q=0.9' })).toBe('de');
		expect(await languageOf('/login', { 'accept-language': 'fr, en-US;q=0.5' })).toBe('en');
	});

	it('answers so that no shared cache gives one person’s language to another', async () => {
		const response = await fetch(`${server.url}/login`, { headers: { accept: 'text/html' } });
		expect(response.headers.get('vary')).toMatch(/Accept-Language/);
		expect(response.headers.get('vary')).toMatch(/Cookie/);
	});
});

describe('the switch on the sign-in page', () => {
	it('keeps the choice for this device, over what the browser asks for, and goes back to signing in', async () => {
		const chosen = await choose('en', '', '/login?next=%2Faccount');
		expect(chosen).toMatchObject({ status: 303, location: '/login?next=%2Faccount', cookie: 'chorus_locale=en' });
		expect(await languageOf('/login', { cookie: chosen.cookie!, 'accept-language': 'de-DE' })).toBe('en');
	});

	it('refuses a language Chorus does not have, changing nothing', async () => {
		for (const language of ['fr', '', 'de<script>', 'x'.repeat(5000)]) {
			const refused = await choose(language, 'chorus_locale=en', '/login');
			expect(refused.status).toBe(400);
			expect(refused.cookie).toBeUndefined();
			expect(refused.body).toContain('Bitte wählen Sie eine der Sprachen aus der Liste.');
		}
	});

	it('ignores a cookie naming no language of ours', async () => {
		expect(await languageOf('/login', { cookie: 'chorus_locale=xx', 'accept-language': 'en' })).toBe('en');
		expect(await languageOf('/login', { cookie: 'chorus_locale=xx' })).toBe('de');
	});
});

describe('a person’s saved language', () => {
	it('is saved from the account page and wins over this device and the browser, on every device', async () => {
		const session = await signInCookie(server.url, 'sam');
		expect(await savedLanguageOf('sam')).toBeNull();
		// No choice saved: the browser's language.
		expect(await languageOf('/account', { cookie: session, 'accept-language': 'en' })).toBe('en');

		const saved = await choose('de', session);
		expect(saved).toMatchObject({ status: 303, location: '/account?language=saved', cookie: 'chorus_locale=de' });
		expect(await savedLanguageOf('sam')).toBe('de');
		// Another device, whose browser and cookie say English.
		const elsewhere = await signInCookie(server.url, 'sam');
		expect(await languageOf('/account', { cookie: `${elsewhere}; chorus_locale=en`, 'accept-language': 'en-GB' })).toBe('de');

		const back = await choose('en', session);
		expect(back.status).toBe(303);
		expect(await savedLanguageOf('sam')).toBe('en');
		expect(await languageOf('/', { cookie: session, 'accept-language': 'de' })).toBe('en');
	});

	it('is not changed by a language Chorus does not have', async () => {
		const session = await signInCookie(server.url, 'jordan');
		await choose('en', session);
		const refused = await choose('klingon', session);
		expect(refused.status).toBe(400);
		expect(await savedLanguageOf('jordan')).toBe('en');
	});
});

describe('the time zone of the page', () => {
	it('is the browser’s once it has said so, and this machine’s for a zone no one knows', async () => {
		const session = await signInCookie(server.url, 'priya');
		const page = async (cookie: string) =>
			/data-time-zone="([^"]*)"/.exec(await (await fetch(`${server.url}/account`, { headers: { accept: 'text/html', cookie } })).text())?.[1];
		expect(await page(`${session}; chorus_tz=America%2FNew_York`)).toBe('America/New_York');
		const machine = await page(session);
		expect(await page(`${session}; chorus_tz=Mars%2FOlympus_Mons`)).toBe(machine);
		expect(await page(`${session}; chorus_tz=${'x'.repeat(300)}`)).toBe(machine);
	});
});
