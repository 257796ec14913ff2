// How pages, form actions and API routes answer with a command's outcome: codes become HTTP statuses and words here.
import { error, fail, json, type ActionFailure } from '@sveltejs/kit';
import type { OutcomeParams, Refusal } from '$lib/shared/outcome';
import { describedRefusal, wordsFor, type OutcomeCode } from '$lib/shared/outcome-words';

/** The HTTP status each refusal is answered with; any other is the sender's mistake (400). */
const STATUS: Partial<Record<OutcomeCode, number>> = {
	'sign-in-required': 401,
	'sign-in-throttled': 429,
	'not-allowed': 403,
	'care-team-only': 403,
	'account-not-found': 404,
	'link-unknown': 404,
	'link-used': 410,
	'link-revoked': 410,
	'link-replaced': 410,
	'link-other-used': 410,
	'link-cancelled': 410,
	'link-expired': 410,
	'link-for-someone-else': 409,
	'plan-details-care-team-only': 403,
	'appointments-care-team-only': 403,
	'versions-plan-people-only': 403,
	'sign-off-disagree-owner-only': 403,
	'restore-plan-people-only': 403,
	'involvement-supervisors-only': 403,
	'plan-not-found': 404,
	'plan-not-measured': 404,
	'appointment-not-found': 404,
	'version-not-found': 404,
	'team-not-overseen': 404,
	'appointment-already-running': 409,
	'appointment-already-started': 409,
	'appointment-not-running': 409,
	'appointment-cancelled': 409,
	'notification-not-found': 404,
	'session-not-found': 404,
	'code-throttled': 429,
	'factor-not-found': 404,
	'authenticator-unavailable': 503,
	'passkey-throttled': 429,
	'passkey-busy': 429,
	// Asks for a second, deliberate "anyway".
	'person-not-in-team': 409,
	'professional-not-in-team': 409,
	'restore-no-change': 409,
	'restore-preview-outdated': 409,
	'restore-undo-not-yours': 403,
	'restore-undo-not-a-restore': 404,
	'restore-undo-outdated': 409
};

/** The HTTP status of a refusal. */
export function statusOf(refusal: Refusal<OutcomeCode>): number {
	return STATUS[refusal.code] ?? 400;
}

/**
 * A refused form action. A plan the person may not see is answered as a page that is not there (404, as when they
 * open it), so a form tells a stranger nothing more than the page would; any other refusal is the form's answer,
 * with its code and its words, and `extra` (which form it was, what to keep).
 */
export function refusedAction<C extends OutcomeCode, E extends Record<string, unknown> = Record<never, never>>(
	refusal: Refusal<C>,
	extra?: E
): ActionFailure<E & { code: C; message: string }> {
	if (refusal.code === 'plan-not-found') error(404, { message: wordsFor(refusal) });
	return fail(statusOf(refusal), { ...(extra as E), ...describedRefusal(refusal) });
}

/** A form action done: `saved`, the success code and its words, and `extra`. */
export function savedAction<C extends OutcomeCode, E extends Record<string, unknown> = Record<never, never>>(
	outcome: { code: C; params?: OutcomeParams },
	extra?: E
): E & { saved: true; code: C; message: string } {
	return { ...(extra as E), saved: true, code: outcome.code, message: wordsFor(outcome) };
}

/** A form action's answer to a command whose success is itself a code: saved, or refused, with `extra` either way. */
export function answeredAction<C extends OutcomeCode, R extends OutcomeCode, E extends Record<string, unknown> = Record<never, never>>(
	outcome: { ok: true; value: { code: C; params?: OutcomeParams } } | Refusal<R>,
	extra?: E
) {
	return outcome.ok ? savedAction(outcome.value, extra) : refusedAction(outcome, extra);
}

/** A refused page load: its status and its words. */
export function refusedPage(refusal: Refusal<OutcomeCode>): never {
	error(statusOf(refusal), { message: wordsFor(refusal), code: refusal.code });
}

/** A refused API request: `{ code, error }` with its status. */
export function refusedApi(refusal: Refusal<OutcomeCode>): Response {
	return json({ code: refusal.code, error: wordsFor(refusal) }, { status: statusOf(refusal) });
}
