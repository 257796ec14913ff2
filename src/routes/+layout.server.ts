import { loadLinkNotices } from '$lib/server/homes';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals }) => {
	// Link notices are shown on whichever page a person arrives at after signing in.
	return { user: locals.user, linkNotices: await loadLinkNotices(locals.user, locals.session?.id ?? null) };
};
