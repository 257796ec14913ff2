import { cancelMyLinks, dismissMyLinkNotices } from '$commands/invitations';
import { changeOwnPassword, endOtherSession } from '$commands/sessions';
import { loadAccountPage } from '$lib/server/account';
import { refusedAction, savedAction } from '$lib/server/answers';
import { commandContext, originOfRequest } from '$lib/server/command-context';
import { requireFreshConfirmation } from '$lib/server/confirmation';
import { readForm, UNREADABLE } from '$lib/server/forms';
import { requireUser } from '$lib/server/guards';
import { setSessionCookie } from '$lib/server/session-cookie';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => loadAccountPage(requireUser(event), event.locals.session?.id ?? null);

export const actions: Actions = {
	cancelLinks: async (event) => {
		const user = requireUser(event);
		const { cancelled } = await cancelMyLinks(commandContext(event, user), user);
		return savedAction({ code: cancelled === 0 ? 'links-none-open' : 'links-cancelled' }, { form: 'links' });
	},

	dismissNotices: async (event) => {
		const user = requireUser(event);
		await dismissMyLinkNotices(commandContext(event, user), user, event.locals.session?.id ?? null);
		return savedAction({ code: 'link-notices-dismissed' }, { form: 'links' });
	},

	endSession: async (event) => {
		const user = requireUser(event);
		const form = await readForm(event);
		if (!form) return refusedAction(UNREADABLE, { form: 'devices' });
		const sessionId = form.get('session');
		// This device signs out through /logout, which also clears its cookie.
		if (sessionId === event.locals.session?.id) return refusedAction({ ok: false, code: 'session-not-found' }, { form: 'devices' });
		const ended = await endOtherSession(commandContext(event, user), user, sessionId);
		if (!ended.ok) return refusedAction(ended, { form: 'devices' });
		return savedAction({ code: 'session-ended' }, { form: 'devices' });
	},

	password: async (event) => {
		const user = requireFreshConfirmation(event);
		const form = await readForm(event);
		if (!form) return refusedAction(UNREADABLE, { form: 'password' });
		const changed = await changeOwnPassword(
			commandContext(event, user),
			user,
			{ current: form.get('current'), password: form.get('password'), confirm: form.get('confirm') },
			{ ...originOfRequest(event), secondFactorVerified: event.locals.session?.secondFactorAt != null }
		);
		if (!changed.ok) return refusedAction(changed, { form: 'password' });
		setSessionCookie(event, changed.value.token, changed.value.expiresAt);
		return savedAction({ code: 'password-changed' }, { form: 'password' });
	}
};
