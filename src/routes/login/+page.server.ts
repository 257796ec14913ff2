import { redirect } from '@sveltejs/kit';
import { signInWithPassword } from '$commands/sessions';
import { refusedAction } from '$lib/server/answers';
import { db } from '$lib/server/db';
import { readForm, UNREADABLE } from '$lib/server/forms';
import { safeNextPath } from '$lib/server/guards';
import { setSessionCookie } from '$lib/server/session-cookie';
import { serverConfig } from '$lib/server/settings';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, safeNextPath(url.searchParams.get('next')));
	// Sent here because the session ended for lack of activity (guards.ts adds the reason): say so, and after how long.
	const idle = url.searchParams.get('reason') === 'idle' || locals.sessionEnded === 'idle';
	return { idleMinutes: idle ? Math.round(serverConfig().signIn.staffIdleMs / 60_000) : null };
};

export const actions: Actions = {
	default: async (event) => {
		const form = await readForm(event);
		if (!form) return refusedAction(UNREADABLE, { username: '' });
		const username = form.get('username');
		const signedIn = await signInWithPassword(db(), {
			username,
			password: form.get('password'),
			ip: event.getClientAddress(),
			userAgent: event.request.headers.get('user-agent')
		});
		if (!signedIn.ok) return refusedAction(signedIn, { username: typeof username === 'string' ? username : '' });
		setSessionCookie(event, signedIn.value.token, signedIn.value.expiresAt);
		redirect(303, safeNextPath(event.url.searchParams.get('next')));
	}
};
