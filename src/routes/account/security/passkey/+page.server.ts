import { passkeyRegistrationOptions, registerPasskey } from '$commands/passkeys';
import { refusedAction, savedAction } from '$lib/server/answers';
import { commandContext } from '$lib/server/command-context';
import { requireFreshConfirmation } from '$lib/server/confirmation';
import { readForm, UNREADABLE } from '$lib/server/forms';
import { countNewPasskeyAsUsed, relyingParty } from '$lib/server/passkeys';
import { finishSecondStep, requireFactorOwner } from '$lib/server/second-factors';
import type { Actions, PageServerLoad } from './$types';

type Event = Parameters<PageServerLoad>[0];

/**
 * The person adding a passkey: one who is setting up their first factor (confined to enrolment), or one signed in
 * completely who confirmed who they are within the last 15 minutes (adding a factor is a sensitive change).
 */
function passkeyOwner(event: Pick<Event, 'locals' | 'url'>) {
	const owner = requireFactorOwner(event);
	if (!owner.enrolling) requireFreshConfirmation(event);
	return owner;
}

export const load: PageServerLoad = (event) => {
	const { enrolling } = passkeyOwner(event);
	return { enrolling };
};

export const actions: Actions = {
	options: async (event) => {
		const { user } = passkeyOwner(event);
		return { options: await passkeyRegistrationOptions(commandContext(event, user), user, relyingParty(event)) };
	},
	register: async (event) => {
		const { user, session, enrolling } = passkeyOwner(event);
		const form = await readForm(event);
		if (!form) return refusedAction(UNREADABLE, { form: 'passkey' });
		const registered = await registerPasskey(
			commandContext(event, user),
			user,
			{ name: form.get('name'), clientDataJSON: form.get('clientDataJSON'), attestationObject: form.get('attestationObject') },
			relyingParty(event)
		);
		if (!registered.ok) return refusedAction(registered, { form: 'passkey' });
		// The first factor of someone made to set one up: that was their second step, and they go on.
		if (enrolling) await finishSecondStep(event, session);
		await countNewPasskeyAsUsed(session);
		return savedAction({ code: 'passkey-added', params: { name: registered.value.name } }, { form: 'passkey' });
	}
};
