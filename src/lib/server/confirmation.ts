import { redirect, type RequestEvent } from '@sveltejs/kit';
import type { SessionUser } from '$db/session';
import { CONFIRMATION_FRESH_MS } from '$lib/shared/sign-in-policy';
import { requireUser } from './guards';

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
