import { redirect, type RequestEvent } from '@sveltejs/kit';
import { confirmWithPassword, useSecondFactorCode } from '$commands/second-factors';
import { loadSecondFactors } from '$lib/server/account-security';
import { refusedAction } from '$lib/server/answers';
import { commandContext } from '$lib/server/command-context';
import { readForm, UNREADABLE } from '$lib/server/forms';
import { requireUser, safeNextPath } from '$lib/server/guards';
import { serverConfig } from '$lib/server/settings';
import type { Actions, PageServerLoad } from './$types';

// Before a sensitive action (password, factors, exports, restore, administration) more than 15 minutes after the
// person last proved who they are: their second factor again, or their password if they have none.

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const { factors } = await loadSecondFactors(user);
	return {
		hasAuthenticator: factors.some((factor) => factor.kind === 'authenticator'),
		hasPasskey: factors.some((factor) => factor.kind === 'passkey'),
		hasFactor: factors.length > 0
	};
};

function sessionOf(event: RequestEvent) {
	const user = requireUser(event);
	return { user, sessionId: event.locals.session!.id };
}

export const actions: Actions = {
	code: async (event) => {
		const { user, sessionId } = sessionOf(event);
		const form = await readForm(event);
		if (!form) return refusedAction(UNREADABLE);
		const used = await useSecondFactorCode(
			commandContext(event, user),
			user,
			sessionId,
			{ code: form.get('code'), purpose: 'confirm' },
			serverConfig().encryptionKey
		);
		if (!used.ok) return refusedAction(used);
		redirect(303, safeNextPath(event.url.searchParams.get('next')));
	},

	password: async (event) => {
		const { user, sessionId } = sessionOf(event);
		const form = await readForm(event);
		if (!form) return refusedAction(UNREADABLE);
		// Someone with a second factor confirms with it: a password alone is not the stronger proof they have.
		if ((await loadSecondFactors(user)).factors.length > 0) return refusedAction({ ok: false, code: 'code-missing' });
		const confirmed = await confirmWithPassword(commandContext(event, user), user, sessionId, { password: form.get('password') });
		if (!confirmed.ok) return refusedAction(confirmed);
		redirect(303, safeNextPath(event.url.searchParams.get('next')));
	}
};
