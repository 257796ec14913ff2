import { listAccounts } from '$db/accounts';
import { listAllPlans, listCaseload, listPlansOfServiceUser, listTeamPlans } from '$db/plans';
import { listTeams, listTeamsOf } from '$db/teams';
import { db } from '$lib/server/db';
import { requireUser } from '$lib/server/guards';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	switch (user.role) {
		case 'service_user':
			return { home: 'service_user' as const, plans: await listPlansOfServiceUser(db(), user.id) };
		case 'professional':
			return { home: 'professional' as const, plans: await listCaseload(db(), user.id) };
		case 'supervisor':
			return {
				home: 'supervisor' as const,
				plans: await listTeamPlans(db(), user.id),
				teams: await listTeamsOf(db(), user.id)
			};
		case 'admin': {
			const [accounts, teams, plans] = await Promise.all([listAccounts(db()), listTeams(db()), listAllPlans(db())]);
			return {
				home: 'admin' as const,
				counts: {
					people: accounts.length,
					disabled: accounts.filter((account) => account.disabledAt).length,
					teams: teams.length,
					plans: plans.length
				}
			};
		}
	}
};
