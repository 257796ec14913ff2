import { json } from '@sveltejs/kit';
import { involvementCsv } from '$lib/shared/involvement-export';
import { isUuid } from '$lib/shared/validation';
import { audit } from '$lib/server/audit';
import { exportRow, loadTeamInvolvement, supervisedTeams } from '$lib/server/involvement';
import type { RequestHandler } from './$types';

/** GET /api/audit/involvement?team=<id>&format=json|csv: one row per plan of a team the supervisor oversees. */
export const GET: RequestHandler = async (event) => {
	const user = event.locals.user;
	if (!user) return json({ error: 'Please sign in.' }, { status: 401 });
	if (user.role !== 'supervisor') return json({ error: 'The involvement audit is for supervisors.' }, { status: 403 });
	const format = event.url.searchParams.get('format') ?? 'json';
	if (format !== 'json' && format !== 'csv') return json({ error: '"format" must be json or csv.' }, { status: 400 });
	const teams = await supervisedTeams(user.id);
	const teamId = event.url.searchParams.get('team');
	if (teamId === null && teams.length !== 1) return json({ error: 'Please choose a team: ?team=<team id>.' }, { status: 400 });
	if (teamId !== null && !isUuid(teamId)) return json({ error: '"team" must be the id of a team.' }, { status: 400 });
	const team = teamId === null ? teams[0] : teams.find((candidate) => candidate.id === teamId);
	// Another team's figures are not there for this supervisor, exactly like a team that does not exist.
	if (!team) return json({ error: 'We could not find that team among the teams you oversee.' }, { status: 404 });
	const involvement = await loadTeamInvolvement(user.id, team);
	await audit(event, { action: 'involvement.exported', targetType: 'team', targetId: team.id, detail: { format, plans: involvement.plans.length } });
	const rows = involvement.plans.map(exportRow);
	if (format === 'json') return json({ team, generatedAt: involvement.generatedAt.toISOString(), plans: rows });
	const day = involvement.generatedAt.toISOString().slice(0, 10);
	return new Response(involvementCsv(rows), {
		headers: {
			'Content-Type': 'text/csv; charset=utf-8',
			'Content-Disposition': `attachment; filename="involvement-${day}.csv"`
		}
	});
};
