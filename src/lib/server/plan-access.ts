import { error, json, type RequestEvent } from '@sveltejs/kit';
import { findPlanSummary, getPlanAccess, type PlanAccess, type PlanSummary } from '$db/plans';
import type { SessionUser } from '$db/session';
import { audit } from './audit';
import { db } from './db';
import { requireUser } from './guards';

export const PLAN_NOT_FOUND = 'We could not find that plan. It may not exist, or it is not shared with you.';

export interface OpenPlan {
	user: SessionUser;
	access: PlanAccess;
	plan: PlanSummary;
}

type PlanEvent = RequestEvent<{ id: string }>;

async function findOpenPlan(event: PlanEvent, user: SessionUser): Promise<OpenPlan | null> {
	const access = await getPlanAccess(db(), user, event.params.id);
	if (!access) {
		await audit(event, { action: 'access.denied', targetType: 'plan', targetId: event.params.id });
		return null;
	}
	const plan = await findPlanSummary(db(), event.params.id);
	return plan ? { user, access, plan } : null;
}

/** The plan of a page and what this person may do with it; 404 when they may not see it (its existence stays hidden). */
export async function openPlan(event: PlanEvent): Promise<OpenPlan> {
	const opened = await findOpenPlan(event, requireUser(event));
	if (!opened) error(404, { message: PLAN_NOT_FOUND });
	return opened;
}

/** The same check for the JSON API: a JSON 401 or 404 response instead of a page. */
export async function openPlanForApi(event: PlanEvent): Promise<OpenPlan | Response> {
	const user = event.locals.user;
	if (!user) return json({ error: 'Please sign in.' }, { status: 401 });
	return (await findOpenPlan(event, user)) ?? json({ error: PLAN_NOT_FOUND }, { status: 404 });
}

/** Changing a plan: the person whose plan it is and the professionals of its care team. */
export function canChange(opened: OpenPlan): boolean {
	return opened.access === 'edit';
}
