import { requireRole } from '$lib/server/guards';
import type { LayoutServerLoad } from './$types';

// Pages only: every admin form action checks the role again itself.
export const load: LayoutServerLoad = (event) => {
	requireRole(event, 'admin');
};
