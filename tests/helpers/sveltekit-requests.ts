import * as devalue from 'devalue';

/** What a form action answered, read the way SvelteKit's enhanced forms read it. */
export interface ActionOutcome {
	/** The HTTP status: 200 for success and failure results (their own status is in `status`), the error's for errors. */
	http: number;
	type: 'success' | 'failure' | 'error' | 'redirect';
	/** The action's status: 200, or what fail() or error() said. */
	status: number;
	data: Record<string, unknown> | undefined;
	/** Where a redirect result points. */
	location?: string;
	/** The answer as sent, for checking what it must not contain. */
	body: string;
	/** The cookies it set (`name=value`, without attributes). */
	cookies: string[];
}

/**
 * Submits a form action the way SvelteKit's enhanced forms do (same-site Origin, `accept: application/json`,
 * `x-sveltekit-action`), and reads the result. `path` includes the action, e.g. `/plans/<id>/versions?/agree`;
 * `fields` as pairs when a name repeats.
 */
export async function submitAction(
	baseUrl: string,
	origin: string,
	cookie: string,
	path: string,
	fields: Record<string, string> | [string, string][]
): Promise<ActionOutcome> {
	const response = await fetch(`${baseUrl}${path}`, {
		method: 'POST',
		headers: {
			cookie,
			origin,
			accept: 'application/json',
			'x-sveltekit-action': 'true',
			'content-type': 'application/x-www-form-urlencoded'
		},
		body: new URLSearchParams(fields)
	});
	const body = await response.text();
	const cookies = response.headers.getSetCookie().map((cookie) => cookie.split(';')[0]!);
	const result = JSON.parse(body) as { type: ActionOutcome['type']; status?: number; data?: string; error?: { message: string }; location?: string };
	if (result.type === 'error') return { http: response.status, type: result.type, status: response.status, data: result.error, body, cookies };
	if (result.type === 'redirect')
		return { http: response.status, type: result.type, status: result.status!, data: undefined, location: result.location, body, cookies };
	return { http: response.status, type: result.type, status: result.status!, data: result.data ? devalue.parse(result.data) : undefined, body, cookies };
}

type PageDataNode = { type: 'data'; data: unknown[] } | { type: 'error'; status?: number } | { type: 'skip' } | null;

/**
 * A page's server data, as the browser reads it (`__data.json`): the page's own node, or its error status.
 * `path` is the page's path, with its query if any.
 */
export async function readPageData(baseUrl: string, cookie: string, path: string): Promise<{ status: number; data: Record<string, unknown> | null }> {
	const [pathname, query] = path.split('?');
	const response = await fetch(`${baseUrl}${pathname === '/' ? '' : pathname}/__data.json${query ? `?${query}` : ''}`, { headers: { cookie } });
	if (!response.ok) return { status: response.status, data: null };
	const body = (await response.json()) as { type: string; nodes: PageDataNode[] };
	const node = body.nodes.at(-1);
	if (node?.type === 'error') return { status: node.status ?? 500, data: null };
	if (node?.type !== 'data') throw new Error(`No page data for ${path}: ${JSON.stringify(body).slice(0, 300)}`);
	return { status: 200, data: devalue.unflatten(node.data) as Record<string, unknown> };
}
