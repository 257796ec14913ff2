import { DEMO_PASSWORD, expect, formHeaders, planIdOf, signIn, signInThroughForm, test } from './helpers';

/** A browser Response or an APIResponse: both have headers() with lower-case names. */
type WithHeaders = { headers(): Record<string, string> };

function expectSecurityHeaders(response: WithHeaders | null | undefined, what: string): void {
	expect(response, what).toBeTruthy();
	const headers = response!.headers();
	expect(headers['content-security-policy'], `${what}: Content-Security-Policy`).toContain("frame-ancestors 'none'");
	expect(headers['content-security-policy'], `${what}: Content-Security-Policy`).toContain("default-src 'self'");
	expect(headers['x-content-type-options'], `${what}: X-Content-Type-Options`).toBe('nosniff');
	expect(headers['referrer-policy'], `${what}: Referrer-Policy`).toBeTruthy();
}

test('every kind of response carries the security headers', async ({ request }) => {
	const login = await request.get('/login');
	expect(login.status()).toBe(200);
	expectSecurityHeaders(login, 'the sign-in page');

	const script = /\/_app\/immutable\/[^"']+\.js/.exec(await login.text())?.[0];
	expect(script, 'a script of the app on the sign-in page').toBeTruthy();
	const responses: [string, number][] = [
		['/favicon.svg', 200],
		[script!, 200],
		['/no-such-page', 404],
		[`/plans/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`, 303],
		['/invite/not-a-real-link', 404]
	];
	for (const [path, status] of responses) {
		const response = await request.get(path, { maxRedirects: 0 });
		expect(response.status(), path).toBe(status);
		expectSecurityHeaders(response, path);
	}
});

test('pages of a signed-in person are never stored in caches', async ({ page }) => {
	const planId = await planIdOf('sam');
	await signIn(page, 'sam');
	for (const path of ['/', `/plans/${planId}`, '/account']) {
		const response = await page.goto(path);
		expect(response?.status(), path).toBe(200);
		expect(response?.headers()['cache-control'], path).toContain('no-store');
		expectSecurityHeaders(response, path);
	}
	// The data SvelteKit fetches when navigating inside the app, too.
	const data = await page.request.get('/__data.json');
	expect(data.status()).toBe(200);
	expect(data.headers()['cache-control']).toContain('no-store');
});

test('the session cookie is HttpOnly, SameSite=Lax, Path=/, not Secure over http, and new at every sign-in', async ({ playwright, baseURL }) => {
	const api = await playwright.request.newContext({ baseURL });
	try {
		const signInOnce = async (): Promise<string> => {
			const response = await api.post('/login', {
				form: { username: 'jordan', password: DEMO_PASSWORD },
				headers: formHeaders(baseURL),
				maxRedirects: 0
			});
			expect(response.status()).toBe(303);
			expect(response.headers()['location']).toBe('/');
			const setCookie = response.headersArray().find((header) => header.name.toLowerCase() === 'set-cookie' && header.value.startsWith('session='));
			expect(setCookie, 'a session cookie is set').toBeDefined();
			const attributes = setCookie!.value.split(';').map((part) => part.trim());
			expect(attributes).toContain('HttpOnly');
			expect(attributes).toContain('SameSite=Lax');
			expect(attributes).toContain('Path=/');
			expect(attributes.map((part) => part.toLowerCase())).not.toContain('secure');
			const expires = attributes.find((part) => part.startsWith('Expires='));
			expect(expires, 'the cookie lasts beyond the browser session').toBeDefined();
			const days = (Date.parse(expires!.slice('Expires='.length)) - Date.now()) / 86_400_000;
			expect(days).toBeGreaterThan(29);
			expect(days).toBeLessThanOrEqual(30.1);
			const token = attributes[0]!.slice('session='.length);
			// At least 128 random bits.
			expect(token.length).toBeGreaterThanOrEqual(22);
			return token;
		};
		const first = await signInOnce();
		const second = await signInOnce();
		expect(second).not.toBe(first);
	} finally {
		await api.dispose();
	}
});

test('in the browser, the session cookie cannot be read by scripts', async ({ page }) => {
	await signInThroughForm(page, 'jordan');
	const session = (await page.context().cookies()).find((cookie) => cookie.name === 'session');
	expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', secure: false });
	expect(await page.evaluate(() => document.cookie)).not.toContain('session=');
});

test('the app cannot be framed by another page', async ({ page }) => {
	const response = await page.goto('/login');
	expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
	expect(response?.headers()['x-frame-options']).toBe('DENY');
});
