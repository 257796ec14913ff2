import { wordsFor } from '$lib/shared/outcome-words';
import { fail } from '@sveltejs/kit';
import { findAccountById, setAccountPassword } from '$db/accounts';
import { announceAccessChange } from '$db/access-events';
import { cancelOpenInvitations, dismissLinkNotices, listAccountLinks } from '$db/invitations';
import { hashPassword, verifyPassword } from '$db/password';
import { createSession, generateSessionToken, invalidateUserSessions, listUserSessions } from '$db/session';
import { checkNewPassword } from '$lib/shared/validation';
import { audit } from '$lib/server/audit';
import { db } from '$lib/server/db';
import { readForm, UNREADABLE_FORM } from '$lib/server/forms';
import { requireUser } from '$lib/server/guards';
import { setSessionCookie } from '$lib/server/session-cookie';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const [sessions, links] = await Promise.all([listUserSessions(db(), user.id), listAccountLinks(db(), user.id)]);
	return {
		links,
		sessions: sessions.map((session) => ({
			current: session.id === event.locals.session?.id,
			createdAt: session.createdAt,
			expiresAt: session.expiresAt,
			userAgent: session.userAgent
		}))
	};
};

export const actions: Actions = {
	cancelLinks: async (event) => {
		const user = requireUser(event);
		const cancelled = await cancelOpenInvitations(db(), user.id);
		if (cancelled === 0) {
			return { form: 'links', saved: true, message: 'There was no open link to cancel: it may have been used, or have expired, a moment ago.' };
		}
		await audit(event, { action: 'invitation.cancelled', targetType: 'user', targetId: user.id, detail: { links: cancelled } });
		return { form: 'links', saved: true, message: 'The sign-in link is cancelled. It no longer works, and your password stays as it is.' };
	},

	dismissNotices: async (event) => {
		const user = requireUser(event);
		const dismissed = await dismissLinkNotices(db(), user.id, event.locals.session?.id ?? null);
		if (dismissed > 0) await audit(event, { action: 'invitation.notice_dismissed', targetType: 'user', targetId: user.id, detail: { links: dismissed } });
		return { form: 'links', saved: true, message: 'Thank you. The link stays listed under “Sign-in links for my account” on this page.' };
	},

	password: async (event) => {
		const user = requireUser(event);
		const form = await readForm(event);
		if (!form) return fail(400, { form: 'password', message: UNREADABLE_FORM });
		const account = await findAccountById(db(), user.id);
		const current = form.get('current');
		if (!account?.passwordHash || typeof current !== 'string' || !(await verifyPassword(account.passwordHash, current))) {
			return fail(400, { form: 'password', message: 'Your current password is not right. Please try again.' });
		}
		const next = checkNewPassword(form.get('password'), user.username);
		if (!next.ok) return fail(400, { form: 'password', message: wordsFor(next) });
		if (form.get('confirm') !== next.value) return fail(400, { form: 'password', message: 'The two new passwords are not the same. Please type them again.' });

		await setAccountPassword(db(), user.id, await hashPassword(next.value));
		// A new password ends every other session; this device gets a fresh one.
		await invalidateUserSessions(db(), user.id);
		announceAccessChange({ kind: 'user_signed_out', userId: user.id });
		const token = generateSessionToken();
		const session = await createSession(db(), token, user.id, { ip: event.getClientAddress(), userAgent: event.request.headers.get('user-agent') });
		setSessionCookie(event, token, session.expiresAt);
		await audit(event, { action: 'account.password_set', targetType: 'user', targetId: user.id, detail: { via: 'account page' } });
		return { form: 'password', saved: true, message: 'Your password has been changed. You have been signed out on your other devices.' };
	}
};
