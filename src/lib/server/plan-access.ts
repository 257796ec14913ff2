import type { RequestEvent } from '@sveltejs/kit';
import { openPlanFor, type OpenPlan } from '$commands/plan-access';
import { refused } from '$lib/shared/outcome';
import { refusedApi, refusedPage } from './answers';
import { commandContext } from './command-context';

export type { OpenPlan } from '$commands/plan-access';

type PlanEvent = RequestEvent<{ id: string }>;

/** The plan of a page and what this person may do with it; 404 when they may not see it (its existence stays hidden). */
export async function openPlan(event: PlanEvent): Promise<OpenPlan> {
	const opened = await openPlanFor(commandContext(event), event.params.id);
	if (!opened.ok) refusedPage(opened);
	return opened.value;
}

/** The same check for the JSON API: a JSON 401 or 404 answer instead of a page. */
export async function openPlanForApi(event: PlanEvent): Promise<OpenPlan | Response> {
	const user = event.locals.user;
	if (!user) return refusedApi(refused('sign-in-required'));
	const opened = await openPlanFor(commandContext(event, user), event.params.id);
	return opened.ok ? opened.value : refusedApi(opened);
}
