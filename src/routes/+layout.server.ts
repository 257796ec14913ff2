import { listLinkNotices } from '$db/invitations';
import { db } from '$lib/server/db';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals }) => {
	// What a person must be told about sign-in links for their account, on whichever page they arrive after signing in.
	const linkNotices = locals.user ? await listLinkNotices(db(), locals.user.id, locals.session?.id ?? null) : null;
	return { user: locals.user, linkNotices };
};
