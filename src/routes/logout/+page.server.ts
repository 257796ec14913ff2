import { redirect } from '@sveltejs/kit';
import { invalidateSession, invalidateUserSessions } from '$db/session';
import { audit } from '$lib/server/audit';
import { db } from '$lib/server/db';
import { deleteSessionCookie } from '$lib/server/session-cookie';
import { announceAccessChange } from '$db/access-events';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	if (!locals.user) redirect(303, '/login');
};

export const actions: Actions = {
	device: async (event) => {
		const { session, user } = event.locals;
		if (session && user) {
			await invalidateSession(db(), session.id);
			await audit(event, { action: 'sign_out', targetType: 'user', targetId: user.id });
			announceAccessChange({ kind: 'session_ended', sessionId: session.id });
		}
		deleteSessionCookie(event);
		redirect(303, '/login');
	},
	everywhere: async (event) => {
		const { user } = event.locals;
		if (user) {
			await invalidateUserSessions(db(), user.id);
			await audit(event, { action: 'sign_out.everywhere', targetType: 'user', targetId: user.id });
			announceAccessChange({ kind: 'user_signed_out', userId: user.id });
		}
		deleteSessionCookie(event);
		redirect(303, '/login');
	}
};
