import type { Handle, HandleServerError } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { logError } from '$db/errors';
import { getDatabase } from '$db/registry';
import { SESSION_COOKIE, validateSessionToken } from '$db/session';
import { deleteSessionCookie, setSessionCookie } from '$lib/server/session-cookie';

const handleSession: Handle = async ({ event, resolve }) => {
	const token = event.cookies.get(SESSION_COOKIE);
	if (!token) {
		event.locals.user = null;
		event.locals.session = null;
		return resolve(event);
	}
	const { session, user } = await validateSessionToken(getDatabase(), token);
	if (session) setSessionCookie(event, token, session.expiresAt);
	else deleteSessionCookie(event);
	event.locals.user = user;
	event.locals.session = session;
	return resolve(event);
};

/**
 * The security headers common to every response are set by the Node server (server/http-headers.ts); only this
 * one depends on the request: pages and data of a signed-in person must not stay in shared or browser caches.
 */
const handleCaching: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	if (event.locals.user || event.cookies.get(SESSION_COOKIE)) {
		response.headers.set('Cache-Control', 'no-store');
	}
	return response;
};

export const handle = sequence(handleCaching, handleSession);

const CLIENT_ERRORS: Record<number, string> = {
	404: 'We could not find that page.',
	405: 'That is not something this page can do.',
	413: 'What was sent is too large.',
	415: 'We could not read what was sent. Please reload the page and try again.'
};

export const handleError: HandleServerError = ({ error, event, status }) => {
	// A mistake in the request is not a fault of ours: a plain answer, nothing logged as an error.
	if (status < 500) return { message: CLIENT_ERRORS[status] ?? 'We could not handle that request. Please reload the page and try again.' };
	// Logged once, with an id the person can quote; never the request body or query values (they may hold plan content).
	const errorId = logError(`${event.request.method} ${event.route.id ?? 'unknown route'}`, error);
	return { message: 'Something went wrong on our side. Please try again in a moment.', errorId };
};
