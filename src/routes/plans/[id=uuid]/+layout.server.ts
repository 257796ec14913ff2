import { loadPlanCrisisContact } from '$lib/server/crisis-contacts';
import type { LayoutServerLoad } from './$types';

// Every page of a plan tells people who to contact in a crisis. The check of who may see the plan is in
// loadPlanCrisisContact itself; each page's own load still opens the plan (and answers 404) on its own.
export const load: LayoutServerLoad = async (event) => ({ crisisContact: await loadPlanCrisisContact(event) });
