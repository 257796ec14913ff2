import type { PlanSummary } from '$db/plans';
import * as report from '../../../server/involvement/team-report';
import { db } from './db';

export type { PlanInvolvementRow, TeamInvolvement, TeamInvolvementSummary } from '../../../server/involvement/team-report';

/** The teams a supervisor oversees. */
export function supervisedTeams(supervisorId: string): Promise<{ id: string; name: string }[]> {
	return report.supervisedTeams(db(), supervisorId);
}

/** Every plan of a team the supervisor oversees, with its involvement measures (brought up to date first). */
export function loadTeamInvolvement(supervisorId: string, team: { id: string; name: string }): Promise<report.TeamInvolvement> {
	return report.loadTeamInvolvement(db(), supervisorId, team);
}

/** The measures of these plans, after bringing stale ones up to date. */
export function measurePlans(plans: PlanSummary[]): ReturnType<typeof report.measurePlans> {
	return report.measurePlans(db(), plans);
}
