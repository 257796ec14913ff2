import { passkeyRegistrationOptions, registerPasskey } from '$commands/passkeys';
import { refusedAction, savedAction } from '$lib/server/answers';
import { commandContext } from '$lib/server/command-context';
import { readForm, UNREADABLE } from '$lib/server/forms';
import { safeNextPath } from '$lib/server/guards';
import { relyingParty } from '$lib/server/passkeys';
import { requireFactorOwner, secondFactorUsed } from '$lib/server/second-factors';
import type { Actions, PageServerLoad } from './$types';

// Adding a passkey changes the person's factors: someone signed in completely must have confirmed who they are within
// 15 minutes; someone setting up their first factor has just given their password.
export const load: PageServerLoad = (event) => {
	const { enrolling } = requireFactorOwner(event, { fresh: true });
	return { enrolling, next: safeNextPath(event.url.searchParams.get('next')) };
};

export const actions: Actions = {
	options: async (event) => {
		const { user } = requireFactorOwner(event, { fresh: true });
		return { options: await passkeyRegistrationOptions(commandContext(event, user), user, relyingParty(event)) };
	},
	register: async (event) => {
		const { user, session, enrolling } = requireFactorOwner(event, { fresh: true });
		const form = await readForm(event);
		if (!form) return refusedAction(UNREADABLE, { form: 'passkey' });
		const registered = await registerPasskey(
			commandContext(event, user),
			user,
			{ name: form.get('name'), clientDataJSON: form.get('clientDataJSON'), attestationObject: form.get('attestationObject') },
			relyingParty(event)
		);
		if (!registered.ok) return refusedAction(registered, { form: 'passkey' });
		// The passkey was just made with the person verified: this session has its second factor (and, if it was their
		// first, now reaches the rest of Chorus). The page shows the recovery codes before they go on.
		await secondFactorUsed(session);
		return savedAction(
			{ code: 'passkey-added', params: { name: registered.value.name } },
			{ form: 'passkey', enrolling, recoveryCodes: registered.value.recoveryCodes }
		);
	}
};
