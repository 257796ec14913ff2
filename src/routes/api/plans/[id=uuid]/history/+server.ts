import { json } from '@sveltejs/kit';
import { checkHistoryQuery } from '$lib/shared/history-query';
import { refusedApi } from '$lib/server/answers';
import { audit } from '$lib/server/audit';
import { loadTimeline } from '$lib/server/history/timeline';
import { freshConfirmationForApi } from '$lib/server/confirmation';
import { openPlanForApi } from '$lib/server/plan-access';
import type { RequestHandler } from './$types';

/** A page of the plan's edit sessions, newest first. */
export const GET: RequestHandler = async (event) => {
	const opened = await openPlanForApi(event);
	if (opened instanceof Response) return opened;
	const unconfirmed = freshConfirmationForApi(event);
	if (unconfirmed) return unconfirmed;
	const query = checkHistoryQuery(event.url.searchParams);
	if (!query.ok) return refusedApi(query);
	const page = await loadTimeline(opened.plan.id, query.value);
	await audit(event, { action: 'history.viewed', targetType: 'plan', targetId: opened.plan.id, detail: { view: 'timeline', api: true } });
	return json({
		sessions: page.sessions.map((session) => ({
			fromSeq: session.fromSeq,
			toSeq: session.toSeq,
			user: { id: session.user.id, name: session.user.name, role: session.user.role, discipline: session.user.discipline },
			context: session.context,
			startedAt: session.startedAt.toISOString(),
			endedAt: session.endedAt.toISOString(),
			changes: session.changes,
			sections: session.sections,
			goals: session.goals,
			...(session.restoredFrom !== undefined ? { restoredFrom: session.restoredFrom } : {})
		})),
		next: page.next
	});
};
