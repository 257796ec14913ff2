import { redirect } from '@sveltejs/kit';
import { openLink, useLink } from '$commands/invitations';
import { refusedAction, refusedPage } from '$lib/server/answers';
import { originOfRequest } from '$lib/server/command-context';
import { db } from '$lib/server/db';
import { readForm, UNREADABLE } from '$lib/server/forms';
import { setSessionCookie } from '$lib/server/session-cookie';
import { wordsFor } from '$lib/shared/outcome-words';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const opened = await openLink(db(), event.params.token, event.locals.user);
	if (!opened.ok) {
		if (opened.code === 'link-for-someone-else') {
			const kind = opened.params?.kind === 'first_admin' ? ('first_admin' as const) : ('set_password' as const);
			return { kind, signedInAs: String(opened.params?.name), message: wordsFor(opened) };
		}
		refusedPage(opened);
	}
	const link = opened.value;
	return {
		kind: link.invitation.kind,
		signedInAs: null,
		person: link.user ? { displayName: link.user.displayName, username: link.user.username } : null,
		purpose: link.purpose,
		createdBy: link.createdBy,
		createdAt: link.invitation.createdAt
	};
};

export const actions: Actions = {
	default: async (event) => {
		const form = await readForm(event);
		if (!form) {
			// An unreadable form says so only for a link that still works.
			const opened = await openLink(db(), event.params.token, event.locals.user);
			return refusedAction(opened.ok ? UNREADABLE : opened);
		}
		const used = await useLink(
			db(),
			event.params.token,
			event.locals.user,
			{ username: form.get('username'), displayName: form.get('displayName'), password: form.get('password'), confirm: form.get('confirm') },
			originOfRequest(event)
		);
		if (!used.ok) return refusedAction(used);
		setSessionCookie(event, used.value.token, used.value.expiresAt);
		redirect(303, '/');
	}
};
