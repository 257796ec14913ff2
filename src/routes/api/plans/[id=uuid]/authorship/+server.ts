import { json } from '@sveltejs/kit';
import { audit } from '$lib/server/audit';
import { buildAuthorshipReport } from '$lib/server/history/authorship-report';
import { countCurrentAuthorship, loadClientOwners } from '$lib/server/history/documents';
import { freshConfirmationForApi } from '$lib/server/confirmation';
import { openPlanForApi } from '$lib/server/plan-access';
import type { RequestHandler } from './$types';

/** Who wrote the plan's current text: characters per person, per role and per section. */
export const GET: RequestHandler = async (event) => {
	const opened = await openPlanForApi(event);
	if (opened instanceof Response) return opened;
	const unconfirmed = freshConfirmationForApi(event);
	if (unconfirmed) return unconfirmed;
	const [counted, owners] = await Promise.all([countCurrentAuthorship(opened.plan.id), loadClientOwners(opened.plan.id)]);
	const report = await buildAuthorshipReport(counted, owners);
	await audit(event, { action: 'history.viewed', targetType: 'plan', targetId: opened.plan.id, detail: { view: 'authorship', api: true } });
	return json(report);
};
