import { wordsFor } from '$lib/shared/outcome-words';
import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { announceAccessChange } from '$db/access-events';
import { lookUpInvitation, redeemInvitation, type InvitationLookup } from '$db/invitations';
import { hashPassword } from '$db/password';
import { checkDisplayName, checkNewPassword, checkUsername } from '$lib/shared/validation';
import { db } from '$lib/server/db';
import { readForm, UNREADABLE_FORM } from '$lib/server/forms';
import { setSessionCookie } from '$lib/server/session-cookie';
import type { Actions, PageServerLoad } from './$types';

const GONE: Record<Exclude<InvitationLookup['status'], 'valid'>, string> = {
	used: 'This link has already been used. Each link works once. If you need a new one, ask your care team or administrator.',
	revoked: 'This link no longer works: a newer link was made, or it was cancelled. If you need one, ask your care team or administrator.',
	expired: 'This link has expired. Please ask your care team or administrator for a new one.',
	unknown: 'This link is not valid. Please check that you copied all of it, or ask for a new one.'
};

/**
 * Someone signed in to another account in this browser must not use a link for this one: it stops a worker or an
 * administrator from casually using, at their own desk, a link they made for somebody else.
 */
function signedInAsSomeoneElse(event: RequestEvent, found: Extract<InvitationLookup, { status: 'valid' }>): string | null {
	const me = event.locals.user;
	if (!me || (found.invitation.kind === 'set_password' && me.id === found.invitation.userId)) return null;
	return me.displayName;
}

const signOutFirst = (name: string) =>
	`You are signed in as ${name}, and this link is for someone else. Please sign out first, then open the link again. If the link is for you, open it on your own device.`;

export const load: PageServerLoad = async (event) => {
	const found = await lookUpInvitation(db(), event.params.token);
	if (found.status !== 'valid') error(found.status === 'unknown' ? 404 : 410, { message: GONE[found.status] });
	const signedInAs = signedInAsSomeoneElse(event, found);
	if (signedInAs) return { kind: found.invitation.kind, signedInAs, message: signOutFirst(signedInAs) };
	return {
		kind: found.invitation.kind,
		signedInAs: null,
		person: found.user ? { displayName: found.user.displayName, username: found.user.username } : null,
		purpose: found.purpose,
		createdBy: found.createdBy,
		createdAt: found.invitation.createdAt
	};
};

export const actions: Actions = {
	default: async (event) => {
		const found = await lookUpInvitation(db(), event.params.token);
		if (found.status !== 'valid') return fail(410, { message: GONE[found.status] });
		const signedInAs = signedInAsSomeoneElse(event, found);
		if (signedInAs) return fail(409, { message: signOutFirst(signedInAs) });
		const form = await readForm(event);
		if (!form) return fail(400, { message: UNREADABLE_FORM });
		const firstAdmin = found.invitation.kind === 'first_admin';

		const username = firstAdmin ? checkUsername(form.get('username')) : { ok: true as const, value: found.user!.username };
		if (!username.ok) return fail(400, { message: wordsFor(username) });
		const displayName = firstAdmin ? checkDisplayName(form.get('displayName')) : { ok: true as const, value: found.user!.displayName };
		if (!displayName.ok) return fail(400, { message: wordsFor(displayName) });
		const password = checkNewPassword(form.get('password'), username.value);
		if (!password.ok) return fail(400, { message: wordsFor(password) });
		if (form.get('confirm') !== password.value) return fail(400, { message: 'The two passwords are not the same. Please type them again.' });

		const redeemed = await redeemInvitation(db(), event.params.token, {
			passwordHash: await hashPassword(password.value),
			client: { ip: event.getClientAddress(), userAgent: event.request.headers.get('user-agent') },
			newAdmin: firstAdmin ? { username: username.value, displayName: displayName.value } : undefined
		});
		if (!redeemed.ok) {
			if (redeemed.error === 'username_taken') return fail(400, { message: 'That username is already taken. Please choose another.' });
			// Used, cancelled or replaced since it was looked up a moment ago.
			const now = await lookUpInvitation(db(), event.params.token);
			return fail(410, { message: GONE[now.status === 'valid' ? 'used' : now.status] });
		}
		// The account's other sessions ended with the new password: close their live plan connections too.
		if (!firstAdmin) announceAccessChange({ kind: 'user_signed_out', userId: redeemed.value.userId });
		setSessionCookie(event, redeemed.value.sessionToken, redeemed.value.session.expiresAt);
		redirect(303, '/');
	}
};
