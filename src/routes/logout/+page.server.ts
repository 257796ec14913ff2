import { redirect } from '@sveltejs/kit';
import { endAllSessions, endSession } from '$commands/sessions';
import { commandContext } from '$lib/server/command-context';
import { deleteSessionCookie } from '$lib/server/session-cookie';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	if (!locals.user) redirect(303, '/login');
};

export const actions: Actions = {
	// Someone still at the second step signs out too: their half-finished session ends, not only its cookie.
	device: async (event) => {
		const { session } = event.locals;
		const user = event.locals.user ?? event.locals.pendingSignIn?.user;
		if (session && user) await endSession(commandContext(event, user), user, session.id);
		deleteSessionCookie(event);
		redirect(303, '/login');
	},
	everywhere: async (event) => {
		const user = event.locals.user ?? event.locals.pendingSignIn?.user;
		if (user) await endAllSessions(commandContext(event, user), user);
		deleteSessionCookie(event);
		redirect(303, '/login');
	}
};
