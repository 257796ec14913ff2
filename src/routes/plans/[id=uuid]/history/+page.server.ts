import { checkHistoryQuery } from '$lib/shared/history-query';
import { refusedPage } from '$lib/server/answers';
import { audit } from '$lib/server/audit';
import { loadPlanWriters, loadTimeline } from '$lib/server/history/timeline';
import { openPlan } from '$lib/server/plan-access';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { plan } = await openPlan(event);
	const query = checkHistoryQuery(event.url.searchParams);
	if (!query.ok) refusedPage(query);
	const [page, people] = await Promise.all([loadTimeline(plan.id, query.value), loadPlanWriters(plan.id)]);
	await audit(event, { action: 'history.viewed', targetType: 'plan', targetId: plan.id, detail: { view: 'timeline' } });
	return { plan, page, people, filters: { person: query.value.person ?? '', section: query.value.section ?? '' } };
};
