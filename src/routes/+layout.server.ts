import { loadLinkNotices, loadUnreadCount } from '$lib/server/homes';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals }) => {
	// Link notices are shown on whichever page a person arrives at after signing in.
	const [linkNotices, unreadNotifications] = await Promise.all([loadLinkNotices(locals.user, locals.session?.id ?? null), loadUnreadCount(locals.user)]);
	// Someone between their password and their second step sees only a way to sign out in the header.
	return { user: locals.user, signingIn: locals.pendingSignIn !== null, linkNotices, unreadNotifications };
};
