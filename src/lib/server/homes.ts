import { listAccounts } from '$db/accounts';
import { listLinkNotices } from '$db/invitations';
import { listAllPlans, listCaseload, listPlansOfServiceUser, listTeamPlans } from '$db/plans';
import type { SessionUser } from '$db/session';
import { listTeams, listTeamsOf } from '$db/teams';
import { db } from './db';

/** What each role's home page shows: their own plan, their caseload, their teams' plans, or counts for an admin. */
export async function loadHome(user: SessionUser) {
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
}

/** What a person must be told about sign-in links for their account, on whichever page they arrive. */
export function loadLinkNotices(user: SessionUser | null, sessionId: string | null) {
	return user ? listLinkNotices(db(), user.id, sessionId) : Promise.resolve(null);
}
