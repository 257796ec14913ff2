import { removeMySecondFactor, replaceMyRecoveryCodes } from '$commands/second-factors';
import { loadSecondFactors } from '$lib/server/account-security';
import { refusedAction, savedAction } from '$lib/server/answers';
import { commandContext } from '$lib/server/command-context';
import { readForm, UNREADABLE } from '$lib/server/forms';
import { requireFactorOwner } from '$lib/server/second-factors';
import { serverConfig } from '$lib/server/settings';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { user, enrolling } = requireFactorOwner(event);
	const recovered = Number(event.url.searchParams.get('recovered'));
	return {
		...(await loadSecondFactors(user)),
		enrolling,
		displayName: user.displayName,
		/** When an administrator reset the person's factors (they are told so, and set up a new one). */
		resetAt: enrolling ? (event.locals.pendingSignIn?.secondFactorResetAt ?? null) : null,
		/** Signed in just now with a recovery code: how many are left (the page suggests what to do next). */
		recoveredLeft: event.url.searchParams.has('recovered') && Number.isInteger(recovered) && recovered >= 0 ? recovered : null
	};
};

export const actions: Actions = {
	remove: async (event) => {
		const { user } = requireFactorOwner(event, { fresh: true });
		const form = await readForm(event);
		if (!form) return refusedAction(UNREADABLE, { form: 'factors' });
		const removed = await removeMySecondFactor(
			commandContext(event, user),
			user,
			{ kind: form.get('kind'), id: form.get('id') },
			serverConfig().signIn.secondFactorPolicy
		);
		if (!removed.ok) return refusedAction(removed, { form: 'factors' });
		return savedAction({ code: 'factor-removed' }, { form: 'factors' });
	},

	recoveryCodes: async (event) => {
		const { user } = requireFactorOwner(event, { fresh: true });
		const made = await replaceMyRecoveryCodes(commandContext(event, user), user);
		if (!made.ok) return refusedAction(made, { form: 'recovery' });
		// Shown once, in this answer only: what is stored is their hashes.
		return { ...savedAction({ code: 'recovery-codes-made' }, { form: 'recovery' }), recoveryCodes: made.value };
	}
};
