import { redirect, type Handle, type HandleServerError } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { m } from '$lib/paraglide/messages';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { defineCustomServerStrategy } from '$lib/paraglide/runtime';
import { logError } from '$db/errors';
import { getDatabase } from '$db/registry';
import { recordSessionActivity, SESSION_COOKIE, validateSessionToken } from '$db/session';
import { SESSION_ACTIVITY_PATH } from '$lib/shared/session-activity';
import { standingOfSession } from '$lib/shared/sign-in-policy';
import { mayReachBeforeSecondFactor, secondFactorStepPath } from '$lib/server/second-factor-steps';
import { serverConfig, sessionLimits } from '$lib/server/settings';
import { requestLocale, requestTimeZone, withTimeZone } from '$lib/server/locale';
import { deleteSessionCookie, setSessionCookie } from '$lib/server/session-cookie';

const handleSession: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	event.locals.session = null;
	event.locals.pendingSignIn = null;
	event.locals.sessionEnded = null;
	const token = event.cookies.get(SESSION_COOKIE);
	if (!token) return resolve(event);
	const validation = await validateSessionToken(getDatabase(), token, sessionLimits());
	if (!validation.session) {
		deleteSessionCookie(event);
		event.locals.sessionEnded = validation.refusal;
		return resolve(event);
	}
	const { session, user } = validation;
	setSessionCookie(event, token, session.expiresAt);
	event.locals.session = session;
	const standing = standingOfSession(validation, serverConfig().signIn.secondFactorPolicy);
	if (standing === 'complete') {
		event.locals.user = user;
		// Asking how long the session has left must not itself keep it alive.
		const onlyAsking = event.request.method === 'GET' && event.url.pathname === SESSION_ACTIVITY_PATH;
		if (!onlyAsking) await recordSessionActivity(getDatabase(), session);
		return resolve(event);
	}
	// Password given, second factor not yet: the person counts as signed out everywhere (so no page's own guard can
	// let them in) and is sent to the one step they may take.
	event.locals.pendingSignIn = { user, standing, secondFactorResetAt: validation.secondFactorResetAt };
	if (!mayReachBeforeSecondFactor(standing, event.url.pathname)) {
		if (event.url.pathname.startsWith('/api/')) return new Response(m.error_second_factor_needed(), { status: 401 });
		redirect(303, secondFactorStepPath(standing, event.url));
	}
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

// The language handle decides for each request (after the session, whose person may have saved one) and hands the
// choice to Paraglide, which keeps it for everything rendered while the request runs.
const chosenLocales = new WeakMap<Request, string>();
defineCustomServerStrategy('custom-chorus', { getLocale: (request) => (request ? chosenLocales.get(request) : undefined) });

const handleLanguage: Handle = ({ event, resolve }) => {
	chosenLocales.set(event.request, requestLocale(event));
	const timeZone = requestTimeZone(event.cookies);
	return paraglideMiddleware(event.request, async ({ request, locale }) => {
		event.request = request;
		const response = await withTimeZone(timeZone, () =>
			resolve(event, {
				transformPageChunk: ({ html }) => html.replace('%chorus.lang%', locale).replace('%chorus.timeZone%', timeZone)
			})
		);
		// The same address answers in another language for another browser or person: no shared cache may mix them.
		response.headers.append('Vary', 'Accept-Language, Cookie');
		return response;
	});
};

export const handle = sequence(handleCaching, handleSession, handleLanguage);

// Looked up when an error is answered: handleError runs inside the request, so in the person's language.
const CLIENT_ERRORS: Record<number, () => string> = {
	404: m.error_not_found,
	405: m.error_method_not_allowed,
	413: m.error_too_large,
	415: m.error_unreadable
};

export const handleError: HandleServerError = ({ error, event, status }) => {
	// A mistake in the request is not a fault of ours: a plain answer, nothing logged as an error.
	if (status < 500) return { message: (CLIENT_ERRORS[status] ?? m.error_bad_request)() };
	// Logged once, with an id the person can quote; never the request body or query values (they may hold plan content).
	const errorId = logError(`${event.request.method} ${event.route.id ?? 'unknown route'}`, error);
	return { message: m.error_server(), errorId };
};
