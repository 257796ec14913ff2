import { wordsFor } from '$lib/shared/outcome-words';
import { error } from '@sveltejs/kit';
import { listPlanWriters } from '$db/plan-history';
import { checkHistoryQuery } from '$lib/shared/history-query';
import { audit } from '$lib/server/audit';
import { db } from '$lib/server/db';
import { loadAuthors } from '$lib/server/history/people';
import { loadTimeline } from '$lib/server/history/timeline';
import { openPlan } from '$lib/server/plan-access';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { plan } = await openPlan(event);
	const query = checkHistoryQuery(event.url.searchParams);
	if (!query.ok) error(400, { message: wordsFor(query) });
	const [page, writers] = await Promise.all([loadTimeline(plan.id, query.value), listPlanWriters(db(), plan.id)]);
	const people = [...(await loadAuthors(writers)).values()].toSorted((a, b) => a.name.localeCompare(b.name));
	await audit(event, { action: 'history.viewed', targetType: 'plan', targetId: plan.id, detail: { view: 'timeline' } });
	return { plan, page, people, filters: { person: query.value.person ?? '', section: query.value.section ?? '' } };
};
