import { json } from '@sveltejs/kit';
import { audit } from '$lib/server/audit';
import { loadVersions } from '$lib/server/history/versions';
import { freshConfirmationForApi } from '$lib/server/confirmation';
import { openPlanForApi } from '$lib/server/plan-access';
import type { RequestHandler } from './$types';

/** The plan's named and agreed versions with every sign-off. */
export const GET: RequestHandler = async (event) => {
	const opened = await openPlanForApi(event);
	if (opened instanceof Response) return opened;
	const unconfirmed = freshConfirmationForApi(event);
	if (unconfirmed) return unconfirmed;
	const versions = await loadVersions(opened.plan.id, opened.plan.serviceUser.id);
	await audit(event, { action: 'history.viewed', targetType: 'plan', targetId: opened.plan.id, detail: { view: 'versions', api: true } });
	return json({
		versions: versions.map((version) => ({
			id: version.id,
			seq: version.seq,
			kind: version.kind,
			// Someone's own words, or null when nobody named it (pages then call it by its kind and day).
			name: version.storedName,
			createdAt: version.createdAt.toISOString(),
			createdBy: { id: version.createdBy, name: version.createdByName },
			status: version.agreement.status,
			standing: version.standing,
			signOffs: version.signOffs.map((signOff) => ({
				user: { id: signOff.userId, name: signOff.name, role: signOff.role },
				decision: signOff.decision,
				reason: signOff.reason,
				at: signOff.at.toISOString()
			}))
		}))
	});
};
