import { fail, redirect } from '@sveltejs/kit';
import { createSession, generateSessionToken } from '$db/session';
import { signIn } from '$db/sign-in';
import { db } from '$lib/server/db';
import { readForm, UNREADABLE_FORM } from '$lib/server/forms';
import { safeNextPath } from '$lib/server/guards';
import { setSessionCookie } from '$lib/server/session-cookie';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, safeNextPath(url.searchParams.get('next')));
};

function minutes(seconds: number): string {
	const n = Math.max(1, Math.ceil(seconds / 60));
	return n === 1 ? '1 minute' : `${n} minutes`;
}

export const actions: Actions = {
	default: async (event) => {
		const form = await readForm(event);
		if (!form) return fail(400, { username: '', message: UNREADABLE_FORM });
		const username = form.get('username');
		const password = form.get('password');
		if (typeof username !== 'string' || typeof password !== 'string' || username.trim() === '' || password === '') {
			return fail(400, {
				username: typeof username === 'string' ? username : '',
				message: 'Please enter both your username and your password.'
			});
		}
		const ip = event.getClientAddress();
		const result = await signIn(db(), { username: username.trim().toLowerCase(), password, ip });
		if (!result.ok) {
			if (result.reason === 'throttled') {
				return fail(429, {
					username,
					message:
						`There have been too many attempts to sign in ${result.scope === 'account' ? 'to this account' : 'from this device'}. ` +
						`For your safety, please wait ${minutes(result.retryAfterSeconds)} and try again. ` +
						'If you have forgotten your password, ask your care team or administrator for a new sign-in link.'
				});
			}
			return fail(400, {
				username,
				message: 'That username and password do not match. Please check them and try again.'
			});
		}
		// A fresh token at every sign-in: a session id known before sign-in is never reused.
		const token = generateSessionToken();
		const session = await createSession(db(), token, result.user.id, {
			ip,
			userAgent: event.request.headers.get('user-agent')
		});
		setSessionCookie(event, token, session.expiresAt);
		redirect(303, safeNextPath(event.url.searchParams.get('next')));
	}
};
