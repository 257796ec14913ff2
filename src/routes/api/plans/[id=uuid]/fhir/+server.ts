import { exportPlanFhir } from '$commands/fhir-export';
import { refusedApi } from '$lib/server/answers';
import { commandContext } from '$lib/server/command-context';
import { freshConfirmationForApi } from '$lib/server/confirmation';
import { openPlanForApi } from '$lib/server/plan-access';
import { publicOrigin } from '$lib/server/settings';
import type { RequestHandler } from './$types';

/**
 * The plan as it is now as a FHIR R4 bundle (server/exports/fhir-bundle.ts); every export is recorded. An export:
 * asked again when the person last confirmed who they are over 15 minutes ago.
 */
export const GET: RequestHandler = async (event) => {
	const opened = await openPlanForApi(event);
	if (opened instanceof Response) return opened;
	const unconfirmed = freshConfirmationForApi(event);
	if (unconfirmed) return unconfirmed;
	const bundle = await exportPlanFhir(commandContext(event), opened.plan.id, publicOrigin(event));
	if (!bundle.ok) return refusedApi(bundle);
	return new Response(JSON.stringify(bundle.value), { headers: { 'Content-Type': 'application/fhir+json; charset=utf-8' } });
};
