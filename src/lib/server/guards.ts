import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import type { Role } from '$lib/shared/roles';
import type { SessionUser } from '$db/session';

/**
 * The signed-in person, or a redirect to sign-in that comes back here afterwards. A session that has just ended for
 * lack of activity adds `reason=idle`, so the sign-in page can say why.
 */
export function requireUser(event: Pick<RequestEvent, 'locals' | 'url'>): SessionUser {
	const user = event.locals.user;
	if (!user) {
		const next = event.url.pathname + event.url.search;
		const query = [next === '/' ? null : `next=${encodeURIComponent(next)}`, event.locals.sessionEnded === 'idle' ? 'reason=idle' : null].filter(Boolean);
		redirect(303, query.length > 0 ? `/login?${query.join('&')}` : '/login');
	}
	return user;
}

/** The signed-in person if they have one of the roles; 403 otherwise. */
export function requireRole(event: Pick<RequestEvent, 'locals' | 'url'>, ...roles: Role[]): SessionUser {
	const user = requireUser(event);
	if (!roles.includes(user.role)) error(403, { message: m.error_page_not_available() });
	return user;
}

/** Stands in for this site while a `next` path is resolved; never shown or followed. */
const THIS_SITE = 'http://chorus.invalid';

/**
 * Control characters and backslashes: a browser's URL parser drops tabs and newlines and reads a backslash as `/`,
 * which turns `/\t/evil.example` into `//evil.example`, another site.
 */
const UNSAFE_IN_PATH = /[\p{Cc}\\]/u;

/**
 * Where to go after sign-in: `next` only when it is a path on this site, otherwise `/`. It is resolved as a browser
 * would resolve it, and must stay on this site even after one more round of decoding (as some proxies do).
 */
export function safeNextPath(next: string | null): string {
	if (!next?.startsWith('/') || UNSAFE_IN_PATH.test(next)) return '/';
	let url: URL;
	let decodedPath: string;
	try {
		url = new URL(next, THIS_SITE);
		decodedPath = decodeURIComponent(url.pathname);
	} catch {
		return '/';
	}
	if (url.origin !== THIS_SITE) return '/';
	// `/..//x` resolves to the path `//x`, which a browser reads as the host x.
	if (url.pathname.startsWith('//') || decodedPath.startsWith('//') || UNSAFE_IN_PATH.test(decodedPath)) return '/';
	return url.pathname + url.search + url.hash;
}
