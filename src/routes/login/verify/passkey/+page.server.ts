import { passkeyVerificationOptions, verifyPasskeySecondFactor } from '$commands/passkeys';
import { refusedAction } from '$lib/server/answers';
import { commandContext } from '$lib/server/command-context';
import { readForm } from '$lib/server/forms';
import { assertionFields, relyingParty } from '$lib/server/passkeys';
import { finishSecondStep, requireSecondStep } from '$lib/server/second-factors';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	requireSecondStep(event);
	return {};
};

export const actions: Actions = {
	options: async (event) => {
		const { user } = requireSecondStep(event);
		return { options: await passkeyVerificationOptions(commandContext(event, user), user, relyingParty(event)) };
	},
	verify: async (event) => {
		const { user, session } = requireSecondStep(event);
		const form = await readForm(event);
		const verified = await verifyPasskeySecondFactor(commandContext(event, user), user, assertionFields(form), relyingParty(event), 'sign_in');
		if (!verified.ok) return refusedAction(verified);
		return finishSecondStep(event, session);
	}
};
