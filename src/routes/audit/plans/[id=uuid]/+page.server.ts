import { refused } from '$lib/shared/outcome';
import { refusedPage } from '$lib/server/answers';
import { audit } from '$lib/server/audit';
import { requireRole } from '$lib/server/guards';
import { buildAuthorshipReport } from '$lib/server/history/authorship-report';
import { countCurrentAuthorship, loadClientOwners } from '$lib/server/history/documents';
import { loadTimeline } from '$lib/server/history/timeline';
import { measurePlans } from '$lib/server/involvement';
import { openPlan } from '$lib/server/plan-access';
import { loadPlanAccessLog } from '$lib/server/plan-page';
import { CHIME_DOMAINS } from '$lib/shared/plan-sections';
import type { PageServerLoad } from './$types';

/** One plan's measures per section and CHIME domain, the history behind them, who has looked at the plan and who changed its care team. */
export const load: PageServerLoad = async (event) => {
	requireRole(event, 'supervisor');
	const { plan } = await openPlan(event);
	const [measured, counted, owners, timeline, [looks, careTeamChanges]] = await Promise.all([
		measurePlans([plan]),
		countCurrentAuthorship(plan.id),
		loadClientOwners(plan.id),
		loadTimeline(plan.id, { limit: 10 }),
		loadPlanAccessLog(plan.id)
	]);
	const row = measured.plans[0];
	if (!row) refusedPage(refused('plan-not-measured'));
	const authorship = await buildAuthorshipReport(counted, owners);
	const serviceUserChars = (byUser: { id: string; chars: number }[]) =>
		byUser.filter((share) => share.id === plan.serviceUser.id).reduce((sum, share) => sum + share.chars, 0);
	const domains = CHIME_DOMAINS.map((domain) => {
		const section = authorship.sections.find((candidate) => candidate.id === domain)!;
		const goals = authorship.goals.filter((goal) => goal.domain === domain);
		const total = section.total + goals.reduce((sum, goal) => sum + goal.total, 0);
		const serviceUser = serviceUserChars(section.byUser) + goals.reduce((sum, goal) => sum + serviceUserChars(goal.byUser), 0);
		return {
			domain,
			total,
			serviceUser,
			goals: goals.length,
			ownWordsGoals: goals.filter((goal) => goal.total > 0 && serviceUserChars(goal.byUser) * 2 >= goal.total).length
		};
	});
	// Its history is shown here: the person whose plan it is sees this look in "Who has seen my plan".
	await audit(event, { action: 'history.viewed', targetType: 'plan', targetId: plan.id, detail: { view: 'involvement' } });
	return { plan, row, domains, timeline, looks, careTeamChanges };
};
