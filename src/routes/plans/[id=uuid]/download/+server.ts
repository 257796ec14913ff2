import { audit } from '$lib/server/audit';
import { currentPlanText } from '$lib/server/history/documents';
import { openPlan } from '$lib/server/plan-access';
import { formatDate } from '$lib/shared/dates';
import type { RequestHandler } from './$types';

/** A plain-text copy of the plan as it is now; every download is recorded. */
export const GET: RequestHandler = async (event) => {
	const { plan } = await openPlan(event);
	const today = new Date().toISOString().slice(0, 10);
	const text = await currentPlanText(plan.id, { title: plan.title, person: plan.serviceUser.displayName, printedAt: formatDate(today) });
	await audit(event, { action: 'plan.exported', targetType: 'plan', targetId: plan.id, detail: { format: 'text' } });
	return new Response(text, {
		headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Disposition': `attachment; filename="care-plan-${today}.txt"` }
	});
};
