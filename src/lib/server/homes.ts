import { listAccounts } from '$db/accounts';
import { listLinkNotices } from '$db/invitations';
import { listAllPlans, listCaseload, listPlansOfServiceUser, listTeamPlans } from '$db/plans';
import type { SessionUser } from '$db/session';
import { listTeams, listTeamsOf } from '$db/teams';
import { countUnreadNotifications } from '$db/notifications';
import { db } from './db';
import { loadWaiting } from './waiting';

/** What each role's home page shows: their own plan, their caseload, their teams' plans, or counts for an admin. */
export async function loadHome(user: SessionUser) {
	switch (user.role) {
		case 'service_user': {
			const plans = await listPlansOfServiceUser(db(), user.id);
			return { home: 'service_user' as const, plans, waiting: await loadWaiting(user, plans) };
		}
		case 'professional': {
			const plans = await listCaseload(db(), user.id);
			return { home: 'professional' as const, plans, waiting: await loadWaiting(user, plans) };
		}
		case 'supervisor': {
			const [plans, teams] = await Promise.all([listTeamPlans(db(), user.id), listTeamsOf(db(), user.id)]);
			return { home: 'supervisor' as const, plans, teams, waiting: await loadWaiting(user, plans) };
		}
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

/** How many notifications a person has not read yet, for the count in the site header. */
export function loadUnreadCount(user: SessionUser | null): Promise<number | null> {
	return user ? countUnreadNotifications(db(), user.id) : Promise.resolve(null);
}
