import { refused } from '$lib/shared/outcome';
import { refusedPage } from '$lib/server/answers';
import { audit } from '$lib/server/audit';
import { requireRole } from '$lib/server/guards';
import { loadTeamInvolvement, supervisedTeams } from '$lib/server/involvement';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'supervisor');
	const teams = await supervisedTeams(user.id);
	const chosen = event.url.searchParams.get('team');
	const team = chosen ? teams.find((candidate) => candidate.id === chosen) : teams[0];
	if (chosen && !team) refusedPage(refused('team-not-overseen'));
	if (!team) return { teams, involvement: null };
	const involvement = await loadTeamInvolvement(user.id, team);
	await audit(event, { action: 'involvement.viewed', targetType: 'team', targetId: team.id, detail: { plans: involvement.plans.length } });
	return { teams, involvement };
};
