import { isCareTeamProfessional, mayChange, type OpenPlan } from '$commands/plan-access';
import { listCareTeamChanges, listPlanLooks, listPlanViewers, VISIT_GAP_MINUTES } from '$db/access-log';
import { lastAppointmentVersion, listAppointments } from '$db/appointments';
import { listCareTeam } from '$db/plans';
import { shownPlanStatus } from '$lib/shared/agreement';
import { presenceFor } from '$lib/shared/presence';
import { db } from './db';
import { loadClientOwners } from './history/documents';
import { loadAuthors } from './history/people';
import { lastAgreed, loadVersions } from './history/versions';

/** Everything the plan page shows, for this person: who has looked and who changed the care team only for the person whose plan it is. */
export async function loadPlanPage(opened: OpenPlan) {
	const { user, access, plan } = opened;
	const isOwner = user.id === plan.serviceUser.id;
	const [careTeam, owners, versions, appointments, lastAppointment, viewers, careTeamChanges] = await Promise.all([
		listCareTeam(db(), plan.id),
		loadClientOwners(plan.id),
		loadVersions(plan.id, plan.serviceUser.id),
		listAppointments(db(), plan.id),
		lastAppointmentVersion(db(), plan.id),
		isOwner ? listPlanViewers(db(), plan.id, user.id) : Promise.resolve(null),
		isOwner ? listCareTeamChanges(db(), plan.id) : Promise.resolve(null)
	]);
	const authors = await loadAuthors([plan.serviceUser.id, ...careTeam.map((member) => member.id), ...owners.values()]);
	const agreed = await lastAgreed(plan.id, versions);
	return {
		plan,
		access,
		me: presenceFor(user, !mayChange(opened)),
		careTeam,
		canManage: isCareTeamProfessional(opened),
		writers: [...owners] as [number, string][],
		people: [...authors.values()].map(({ id, name, kind, role, discipline }) => ({ id, name, kind, role, discipline })),
		agreed: agreed && { name: agreed.version.name, seq: agreed.version.seq, createdAt: agreed.version.createdAt, changedSince: agreed.changedSince },
		lastVersion: versions[0] ? { name: versions[0].name, seq: versions[0].seq } : null,
		/** The status the header shows: as set, unless agreement says more (shownPlanStatus). */
		shownStatus: shownPlanStatus(plan.status, versions[0]?.standing ?? null, agreed),
		appointments,
		lastAppointment,
		viewers,
		visitGapMinutes: VISIT_GAP_MINUTES,
		careTeamChanges
	};
}

/** Who has looked at a plan and who changed its care team, for the involvement audit of one plan. */
export function loadPlanAccessLog(planId: string) {
	return Promise.all([listPlanLooks(db(), planId), listCareTeamChanges(db(), planId)]);
}
