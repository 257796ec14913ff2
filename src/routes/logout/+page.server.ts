import { redirect } from '@sveltejs/kit';
import { endAllSessions, endSession } from '$commands/sessions';
import { commandContext } from '$lib/server/command-context';
import { deleteSessionCookie } from '$lib/server/session-cookie';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	if (!locals.user) redirect(303, '/login');
};

export const actions: Actions = {
	device: async (event) => {
		const { session } = event.locals;
		// Also someone who gave their password but not yet their second step: their half-made session ends too.
		const user = event.locals.user ?? event.locals.pendingSignIn?.user;
		if (session && user) await endSession(commandContext(event, user), user, session.id);
		deleteSessionCookie(event);
		redirect(303, '/login');
	},
	everywhere: async (event) => {
		const { user } = event.locals;
		if (user) await endAllSessions(commandContext(event, user), user);
		deleteSessionCookie(event);
		redirect(303, '/login');
	}
};
