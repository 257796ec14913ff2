import { json } from '@sveltejs/kit';
import { exportInvolvement } from '$commands/exports';
import { getLocale } from '$lib/paraglide/runtime';
import { involvementCsv } from '$lib/shared/involvement-export';
import { refused } from '$lib/shared/outcome';
import { refusedApi } from '$lib/server/answers';
import { commandContext } from '$lib/server/command-context';
import { freshConfirmationForApi } from '$lib/server/confirmation';
import type { RequestHandler } from './$types';

/**
 * GET /api/audit/involvement?team=<id>&format=json|csv[&labels=1]: one row per plan of a team the supervisor
 * oversees. Column names and values are stable machine codes in every language; `labels=1` (CSV only, ignored for
 * JSON) puts one extra first row of column names in the viewer's language above them, for people opening the file.
 * An export: asked again when the person last confirmed who they are over 15 minutes ago.
 */
export const GET: RequestHandler = async (event) => {
	const user = event.locals.user;
	if (!user) return refusedApi(refused('sign-in-required'));
	const unconfirmed = freshConfirmationForApi(event);
	if (unconfirmed) return unconfirmed;
	const { searchParams } = event.url;
	const exported = await exportInvolvement(commandContext(event, user), { team: searchParams.get('team'), format: searchParams.get('format') });
	if (!exported.ok) return refusedApi(exported);
	const { team, format, generatedAt, rows } = exported.value;
	if (format === 'json') return json({ team, generatedAt: generatedAt.toISOString(), plans: rows });
	const day = generatedAt.toISOString().slice(0, 10);
	const labelsIn = searchParams.get('labels') === '1' ? getLocale() : undefined;
	return new Response(involvementCsv(rows, { labelsIn }), {
		headers: {
			'Content-Type': 'text/csv; charset=utf-8',
			'Content-Disposition': `attachment; filename="involvement-${day}.csv"`
		}
	});
};
