import { fail, redirect } from '@sveltejs/kit';
import { signInWithPassword } from '$commands/sessions';
import { describedRefusal } from '$lib/shared/outcome-words';
import { db } from '$lib/server/db';
import { readForm, UNREADABLE } from '$lib/server/forms';
import { safeNextPath } from '$lib/server/guards';
import { setSessionCookie } from '$lib/server/session-cookie';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, safeNextPath(url.searchParams.get('next')));
};

export const actions: Actions = {
	default: async (event) => {
		const form = await readForm(event);
		if (!form) return fail(400, { username: '', ...describedRefusal(UNREADABLE) });
		const username = form.get('username');
		const signedIn = await signInWithPassword(db(), {
			username,
			password: form.get('password'),
			ip: event.getClientAddress(),
			userAgent: event.request.headers.get('user-agent')
		});
		if (!signedIn.ok) {
			return fail(signedIn.code === 'sign-in-throttled' ? 429 : 400, { username: typeof username === 'string' ? username : '', ...describedRefusal(signedIn) });
		}
		setSessionCookie(event, signedIn.value.token, signedIn.value.expiresAt);
		redirect(303, safeNextPath(event.url.searchParams.get('next')));
	}
};
