import { json, redirect, type RequestEvent } from '@sveltejs/kit';
import type { SessionUser } from '$db/session';
import { m } from '$lib/paraglide/messages';
import type { Role } from '$lib/shared/roles';
import { CONFIRMATION_FRESH_MS } from '$lib/shared/sign-in-policy';
import { requireRole, requireUser } from './guards';

type GuardEvent = Pick<RequestEvent, 'locals' | 'url'>;

/** True when the session confirmed who the person is (second factor, or password without one) recently enough. */
export function isFreshlyConfirmed(event: Pick<RequestEvent, 'locals'>, now = Date.now()): boolean {
	const confirmedAt = event.locals.session?.confirmedAt;
	return !!confirmedAt && now - confirmedAt.getTime() <= CONFIRMATION_FRESH_MS;
}

/**
 * Where to confirm, coming back to the page afterwards: a form action's name (`?/restore`) is dropped, so the
 * person returns to the page the form was on and submits it again.
 */
export function confirmationPath(url: URL): string {
	const search = new URLSearchParams();
	for (const [key, value] of url.searchParams) if (!key.startsWith('/')) search.append(key, value);
	const query = search.toString();
	return `/login/confirm?next=${encodeURIComponent(url.pathname + (query ? `?${query}` : ''))}`;
}

/**
 * For sensitive actions (password and factors, exports, restore, administration): the signed-in person, if they
 * confirmed who they are within the last 15 minutes; otherwise a redirect to confirm it again first.
 */
export function requireFreshConfirmation(event: GuardEvent): SessionUser {
	const user = requireUser(event);
	if (!isFreshlyConfirmed(event)) redirect(303, confirmationPath(event.url));
	return user;
}

/** The same for administration and other role-bound sensitive actions: the role is checked first (403 otherwise). */
export function requireFreshRole(event: GuardEvent, ...roles: Role[]): SessionUser {
	const user = requireRole(event, ...roles);
	if (!isFreshlyConfirmed(event)) redirect(303, confirmationPath(event.url));
	return user;
}

/**
 * For API routes: null when the session is freshly confirmed. Otherwise a page opened in the browser (a download
 * link) is sent to confirm and come back; a script's fetch() gets a JSON 401 naming where to confirm, because a
 * redirect to an HTML page would reach it as a page it cannot use. Signing in is the route's own check.
 */
export function freshConfirmationForApi(event: GuardEvent & Pick<RequestEvent, 'request'>): Response | null {
	if (!event.locals.user || isFreshlyConfirmed(event)) return null;
	const confirm = confirmationPath(event.url);
	const headers = event.request.headers;
	const opened = headers.get('sec-fetch-mode') === 'navigate' || (headers.get('accept') ?? '').includes('text/html');
	if (opened) return new Response(null, { status: 303, headers: { location: confirm } });
	return json({ code: 'confirmation-needed', message: m.error_confirmation_needed(), confirm }, { status: 401 });
}
