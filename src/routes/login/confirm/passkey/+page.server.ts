import { passkeyVerificationOptions, verifyPasskeySecondFactor } from '$commands/passkeys';
import { refusedAction } from '$lib/server/answers';
import { commandContext } from '$lib/server/command-context';
import { readForm } from '$lib/server/forms';
import { requireUser } from '$lib/server/guards';
import { assertionFields, relyingParty } from '$lib/server/passkeys';
import { finishSecondStep } from '$lib/server/second-factors';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	requireUser(event);
	return {};
};

export const actions: Actions = {
	options: async (event) => {
		const user = requireUser(event);
		return { options: await passkeyVerificationOptions(commandContext(event, user), user, relyingParty(event)) };
	},
	confirm: async (event) => {
		const user = requireUser(event);
		const form = await readForm(event);
		const verified = await verifyPasskeySecondFactor(commandContext(event, user), user, assertionFields(form), relyingParty(event), 'confirm');
		if (!verified.ok) return refusedAction(verified);
		// Marks the second factor verified just now (so the session counts as freshly confirmed), and goes on to `next`.
		return finishSecondStep(event, event.locals.session!);
	}
};
