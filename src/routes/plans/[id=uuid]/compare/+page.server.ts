import { checkSeq } from '$lib/shared/history-query';
import { getLivePlans } from '$lib/shared/live-plans';
import { refused } from '$lib/shared/outcome';
import { refusedPage } from '$lib/server/answers';
import { audit } from '$lib/server/audit';
import { buildComparison } from '$lib/server/history/compare';
import { findHistoryPoint, loadClientOwners } from '$lib/server/history/documents';
import { openPlan } from '$lib/server/plan-access';
import type { PageServerLoad } from './$types';

/** Compares two versions: ?from=<seq>&to=<seq>; `to` defaults to the plan as it is now. */
export const load: PageServerLoad = async (event) => {
	const { plan } = await openPlan(event);
	const from = checkSeq(event.url.searchParams.get('from'), 'from');
	const to = checkSeq(event.url.searchParams.get('to'), 'to');
	if (!from.ok) refusedPage(from);
	if (!to.ok) refusedPage(to);
	const latest = await getLivePlans().committedSeq(plan.id);
	const toSeq = to.value ?? latest;
	const fromSeq = from.value ?? Math.max(0, toSeq - 1);
	if (fromSeq > toSeq) refusedPage(refused('compare-order'));
	const [fromPoint, toPoint] = [await findHistoryPoint(plan.id, fromSeq), await findHistoryPoint(plan.id, toSeq)];
	if (!fromPoint || !toPoint) refusedPage(refused('version-not-found'));
	const comparison = await buildComparison(plan.id, fromSeq, toSeq, await loadClientOwners(plan.id));
	await audit(event, { action: 'history.viewed', targetType: 'plan', targetId: plan.id, detail: { view: 'compare', fromSeq, toSeq } });
	return { plan, comparison, latest, fromAt: fromPoint.at, toAt: toPoint.at };
};
