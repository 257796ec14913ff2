import { redirect } from '@sveltejs/kit';
import { passkeySignInOptions, signInWithPasskey } from '$commands/passkeys';
import { refusedAction } from '$lib/server/answers';
import { originOfRequest } from '$lib/server/command-context';
import { db } from '$lib/server/db';
import { readForm } from '$lib/server/forms';
import { safeNextPath } from '$lib/server/guards';
import { assertionFields, relyingParty } from '$lib/server/passkeys';
import { setSessionCookie } from '$lib/server/session-cookie';
import type { Actions, PageServerLoad } from './$types';

// Signing in with a passkey alone: open to anyone, like the password form (someone signed in may sign in again).
export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, safeNextPath(url.searchParams.get('next')));
	return {};
};

export const actions: Actions = {
	options: async (event) => {
		const options = await passkeySignInOptions(db(), { ip: event.getClientAddress() }, relyingParty(event));
		if (!options.ok) return refusedAction(options);
		return { options: options.value };
	},
	signIn: async (event) => {
		const form = await readForm(event);
		const signedIn = await signInWithPasskey(db(), { ...assertionFields(form), ...originOfRequest(event) }, relyingParty(event));
		if (!signedIn.ok) return refusedAction(signedIn);
		setSessionCookie(event, signedIn.value.token, signedIn.value.expiresAt);
		redirect(303, safeNextPath(event.url.searchParams.get('next')));
	}
};
