import { json } from '@sveltejs/kit';
import { refused } from '$lib/shared/outcome';
import { refusedApi } from '$lib/server/answers';
import { noteSessionActivity, sessionTimeLeft } from '$lib/server/session-activity';
import type { RequestHandler } from './$types';

/** How long the session has left before it ends for lack of activity. Asking is not activity (hooks.server.ts). */
export const GET: RequestHandler = ({ locals }) => {
	if (!locals.user) return refusedApi(refused('sign-in-required'));
	return json(sessionTimeLeft(locals));
};

/** The person is still here (typing in an open plan, or "Stay signed in"): the session's idle time starts again. */
export const POST: RequestHandler = async ({ locals }) => {
	if (!locals.user) return refusedApi(refused('sign-in-required'));
	await noteSessionActivity(locals);
	return json(sessionTimeLeft(locals));
};
