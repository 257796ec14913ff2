import { loadLinkNotices, loadUnreadCount } from '$lib/server/homes';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals }) => {
	// Link notices are shown on whichever page a person arrives at after signing in.
	const [linkNotices, unreadNotifications] = await Promise.all([loadLinkNotices(locals.user, locals.session?.id ?? null), loadUnreadCount(locals.user)]);
	return { user: locals.user, linkNotices, unreadNotifications };
};
