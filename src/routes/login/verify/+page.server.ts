import { redirect } from '@sveltejs/kit';
import { useSecondFactorCode } from '$commands/second-factors';
import { loadSecondFactors } from '$lib/server/account-security';
import { refusedAction } from '$lib/server/answers';
import { commandContext } from '$lib/server/command-context';
import { readForm, UNREADABLE } from '$lib/server/forms';
import { safeNextPath } from '$lib/server/guards';
import { requireSecondStep } from '$lib/server/second-factors';
import { serverConfig } from '$lib/server/settings';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { user } = requireSecondStep(event);
	const { factors, recoveryCodesLeft } = await loadSecondFactors(user);
	return {
		displayName: user.displayName,
		hasAuthenticator: factors.some((factor) => factor.kind === 'authenticator'),
		hasPasskey: factors.some((factor) => factor.kind === 'passkey'),
		recoveryCodesLeft
	};
};

export const actions: Actions = {
	default: async (event) => {
		const { user, session } = requireSecondStep(event);
		const form = await readForm(event);
		if (!form) return refusedAction(UNREADABLE);
		const used = await useSecondFactorCode(
			commandContext(event, user),
			user,
			session.id,
			{ code: form.get('code'), purpose: 'sign-in' },
			serverConfig().encryptionKey
		);
		if (!used.ok) return refusedAction(used);
		const next = safeNextPath(event.url.searchParams.get('next'));
		// A recovery code stands in for a lost device: the security page says how many are left and what to do next.
		if (used.value.via === 'recovery-code') redirect(303, `/account/security?recovered=${used.value.recoveryCodesLeft}`);
		redirect(303, next);
	}
};
