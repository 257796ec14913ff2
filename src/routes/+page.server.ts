import { requireUser } from '$lib/server/guards';
import { loadHome } from '$lib/server/homes';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => loadHome(requireUser(event));
