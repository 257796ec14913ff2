import { redirect, type RequestEvent } from '@sveltejs/kit';
import type { Session } from '$db/schema';
import { markSecondFactorVerified, type SessionUser } from '$db/session';
import { confirmationPath, isFreshlyConfirmed } from './confirmation';
import { db } from './db';
import { safeNextPath } from './guards';

type GuardEvent = Pick<RequestEvent, 'locals' | 'url'>;

/** Where to go once the second step is done: the `next` the step was opened with, if it is a path on this site. */
function nextPath(event: GuardEvent): string {
	return safeNextPath(event.url.searchParams.get('next'));
}

/**
 * The person whose password was right and who must now use a second factor (`/login/verify` and under it). Someone
 * already through is sent on; someone who must first set one up goes to enrolment; nobody signed in goes to sign-in.
 */
export function requireSecondStep(event: GuardEvent): { user: SessionUser; session: Session } {
	if (event.locals.user) redirect(303, nextPath(event));
	const pending = event.locals.pendingSignIn;
	if (!pending || !event.locals.session) redirect(303, '/login');
	if (pending.standing === 'enrol') redirect(303, '/account/security');
	return { user: pending.user, session: event.locals.session };
}

/**
 * The person managing their own second factors (`/account/security` and under it): signed in completely, or signed
 * in with a password and confined there until they set one up (`enrolling`). With `fresh`, for changes to their
 * factors: someone signed in completely must have confirmed who they are within 15 minutes (someone enrolling has
 * just given their password).
 */
export function requireFactorOwner(event: GuardEvent, options: { fresh?: boolean } = {}): { user: SessionUser; session: Session; enrolling: boolean } {
	const session = event.locals.session;
	if (event.locals.user && session) {
		if (options.fresh && !isFreshlyConfirmed(event)) redirect(303, confirmationPath(event.url));
		return { user: event.locals.user, session, enrolling: false };
	}
	const pending = event.locals.pendingSignIn;
	if (pending?.standing === 'enrol' && session) return { user: pending.user, session, enrolling: true };
	if (pending?.standing === 'verify') redirect(303, '/login/verify');
	const next = event.url.pathname + event.url.search;
	redirect(303, `/login?next=${encodeURIComponent(next)}`);
}

/**
 * The second step is done (a factor used at sign-in, or the first one set up): the session now reaches everything
 * and counts as freshly confirmed. Sends the person where they were going.
 */
export async function finishSecondStep(event: GuardEvent, session: Session): Promise<never> {
	await secondFactorUsed(session);
	redirect(303, nextPath(event));
}

/** The person has just used a second factor in this session (one they set up now, or confirmed with). */
export async function secondFactorUsed(session: Session): Promise<void> {
	await markSecondFactorVerified(db(), session.id);
}
