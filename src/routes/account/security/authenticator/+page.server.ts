import { authenticatorSetup, confirmAuthenticator } from '$commands/second-factors';
import { qrCodeSvg } from '$lib/server/account-security';
import { refusedAction, refusedPage } from '$lib/server/answers';
import { commandContext } from '$lib/server/command-context';
import { readForm, UNREADABLE } from '$lib/server/forms';
import { safeNextPath } from '$lib/server/guards';
import { requireFactorOwner, secondFactorUsed } from '$lib/server/second-factors';
import { serverConfig } from '$lib/server/settings';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { user, enrolling } = requireFactorOwner(event, { fresh: true });
	const setup = await authenticatorSetup(commandContext(event, user), user, serverConfig().encryptionKey);
	if (!setup.ok) refusedPage(setup);
	return { enrolling, key: setup.value.key, qrCode: await qrCodeSvg(setup.value.uri), next: safeNextPath(event.url.searchParams.get('next')) };
};

export const actions: Actions = {
	default: async (event) => {
		const { user, session } = requireFactorOwner(event, { fresh: true });
		const form = await readForm(event);
		if (!form) return refusedAction(UNREADABLE);
		const confirmed = await confirmAuthenticator(commandContext(event, user), user, { code: form.get('code') }, serverConfig().encryptionKey);
		if (!confirmed.ok) return refusedAction(confirmed);
		// The person has just used the new app: this session has its second factor (and, if they were setting up their
		// first, now reaches the rest of Chorus).
		await secondFactorUsed(session);
		return { confirmed: true, recoveryCodes: confirmed.value.recoveryCodes };
	}
};
