import { readAllNotifications, readNotification } from '$commands/notifications';
import { answeredAction, refusedAction } from '$lib/server/answers';
import { commandContext } from '$lib/server/command-context';
import { readForm, UNREADABLE } from '$lib/server/forms';
import { requireUser } from '$lib/server/guards';
import { loadNotificationsPage } from '$lib/server/notifications';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => loadNotificationsPage(requireUser(event));

export const actions: Actions = {
	read: async (event) => {
		const user = requireUser(event);
		const form = await readForm(event);
		if (!form) return refusedAction(UNREADABLE);
		return answeredAction(await readNotification(commandContext(event, user), { notification: form.get('notification') }));
	},
	readAll: async (event) => answeredAction(await readAllNotifications(commandContext(event, requireUser(event))))
};
