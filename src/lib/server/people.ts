import { listAccounts } from '$db/accounts';
import { listAllPlans, listCareTeam } from '$db/plans';
import { countSecondFactorsByPerson } from '$db/second-factors';
import { listTeamMembers, listTeams } from '$db/teams';
import { db } from './db';

/** Page-level reads of the administration pages. Changes go through $commands. */

/** Every account (without password hashes, with how many second factors it has) and every team, for the people page. */
export async function loadPeoplePage() {
	const [accounts, teams, factors] = await Promise.all([listAccounts(db()), listTeams(db()), countSecondFactorsByPerson(db())]);
	return {
		accounts: accounts.map(({ passwordHash, ...account }) => ({
			...account,
			hasPassword: passwordHash !== null,
			secondFactors: factors.get(account.id) ?? 0
		})),
		teams
	};
}

type Account = Awaited<ReturnType<typeof listAccounts>>[number];
const personCard = ({ id, displayName, role, discipline }: Account) => ({ id, displayName, role, discipline });

/** Every team with its members, and the people who may join one, for the teams page. */
export async function loadTeamsPage() {
	const teams = await listTeams(db());
	const [members, accounts] = await Promise.all([Promise.all(teams.map((team) => listTeamMembers(db(), team.id))), listAccounts(db())]);
	return {
		teams: teams.map((team, index) => ({ ...team, members: members[index]! })),
		people: accounts.filter((account) => account.role !== 'admin' && !account.disabledAt).map(personCard)
	};
}

/** Every plan with its care team, and who can be chosen for a new plan or a care team, for the plans page. */
export async function loadPlansPage() {
	const [plans, accounts, teams] = await Promise.all([listAllPlans(db()), listAccounts(db()), listTeams(db())]);
	const careTeams = await Promise.all(plans.map((plan) => listCareTeam(db(), plan.id)));
	const active = accounts.filter((account) => !account.disabledAt);
	return {
		plans: plans.map((plan, index) => ({ ...plan, careTeam: careTeams[index]! })),
		serviceUsers: active.filter((account) => account.role === 'service_user').map(personCard),
		professionals: active.filter((account) => account.role === 'professional').map(personCard),
		teams
	};
}
