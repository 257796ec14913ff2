import { redirect } from '@sveltejs/kit';
import { chooseOwnLanguage } from '$commands/preferences';
import { refusedPage } from '$lib/server/answers';
import { commandContext } from '$lib/server/command-context';
import { readForm, UNREADABLE } from '$lib/server/forms';
import { safeNextPath } from '$lib/server/guards';
import { setLocaleCookie } from '$lib/server/locale';
import { isLocale } from '$lib/shared/locale';
import type { Actions, PageServerLoad } from './$types';

/** Nothing to show here: the switch lives on the sign-in and account pages. */
export const load: PageServerLoad = ({ locals }) => {
	redirect(303, locals.user ? '/' : '/login');
};

export const actions: Actions = {
	/**
	 * The one way to change language. Signed in, it is saved for the person (every device); before signing in, it is
	 * kept for this device. Either way this device remembers it, and the next page is already in it.
	 */
	default: async (event) => {
		const form = await readForm(event);
		if (!form) refusedPage(UNREADABLE);
		const chosen = form.get('language');
		const user = event.locals.user;
		if (user) {
			const saved = await chooseOwnLanguage(commandContext(event, user), user, chosen);
			if (!saved.ok) refusedPage(saved);
		} else if (!isLocale(chosen)) {
			refusedPage({ ok: false, code: 'language-unknown' });
		}
		if (isLocale(chosen)) setLocaleCookie(event, chosen);
		const next = safeNextPath(event.url.searchParams.get('next'));
		redirect(303, user && next === '/account' ? '/account?language=saved' : next);
	}
};
