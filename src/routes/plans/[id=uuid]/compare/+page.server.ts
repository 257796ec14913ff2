import { wordsFor } from '$lib/shared/outcome-words';
import { error } from '@sveltejs/kit';
import { findPlanUpdate } from '$db/plan-history';
import { checkSeq } from '$lib/shared/history-query';
import { getLivePlans } from '$lib/shared/live-plans';
import { audit } from '$lib/server/audit';
import { db } from '$lib/server/db';
import { buildComparison } from '$lib/server/history/compare';
import { loadClientOwners } from '$lib/server/history/documents';
import { openPlan } from '$lib/server/plan-access';
import type { PageServerLoad } from './$types';

/** Compares two versions: ?from=<seq>&to=<seq>; `to` defaults to the plan as it is now. */
export const load: PageServerLoad = async (event) => {
	const { plan } = await openPlan(event);
	const from = checkSeq(event.url.searchParams.get('from'), 'from');
	const to = checkSeq(event.url.searchParams.get('to'), 'to');
	if (!from.ok) error(400, { message: wordsFor(from) });
	if (!to.ok) error(400, { message: wordsFor(to) });
	const latest = await getLivePlans().committedSeq(plan.id);
	const toSeq = to.value ?? latest;
	const fromSeq = from.value ?? Math.max(0, toSeq - 1);
	if (fromSeq > toSeq) error(400, { message: 'The earlier version must come before the later one.' });
	for (const seq of [fromSeq, toSeq]) {
		if (seq !== 0 && !(await findPlanUpdate(db(), plan.id, seq))) error(404, { message: 'This plan has no such version.' });
	}
	const comparison = await buildComparison(plan.id, fromSeq, toSeq, await loadClientOwners(plan.id));
	await audit(event, { action: 'history.viewed', targetType: 'plan', targetId: plan.id, detail: { view: 'compare', fromSeq, toSeq } });
	return { plan, comparison, latest, fromAt: await changeTime(plan.id, fromSeq), toAt: await changeTime(plan.id, toSeq) };
};

async function changeTime(planId: string, seq: number): Promise<Date | null> {
	return seq === 0 ? null : ((await findPlanUpdate(db(), planId, seq))?.at ?? null);
}
