/** Signs in through the real form action and returns the session cookie (`session=…`). */
export async function signInCookie(baseUrl: string, username: string, password = 'chorus-demo'): Promise<string> {
	const response = await fetch(`${baseUrl}/login`, {
		method: 'POST',
		redirect: 'manual',
		headers: { origin: baseUrl, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ username, password })
	});
	const cookie = response.headers.getSetCookie().find((value) => value.startsWith('session='));
	if (response.status !== 303 || !cookie) throw new Error(`Sign-in as ${username} failed with HTTP ${response.status}`);
	return cookie.split(';')[0]!;
}

/** The ids of the plans linked from a person's home page. */
export async function planIdsOnHome(baseUrl: string, cookie: string): Promise<string[]> {
	const response = await fetch(`${baseUrl}/`, { headers: { cookie } });
	const html = await response.text();
	return [...new Set([...html.matchAll(/href="\/plans\/([0-9a-f-]{36})"/g)].map((match) => match[1]!))];
}
