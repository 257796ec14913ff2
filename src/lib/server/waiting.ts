import { listAttendingBetween } from '$db/appointments';
import type { PlanSummary } from '$db/plans';
import type { SessionUser } from '$db/session';
import { listNewestAgreementVersions, listUnseenChanges, type AgreementRequestFacts } from '$db/waiting';
import { reviewState } from '$lib/shared/involvement';
import type { ItemPlan, WaitingItem } from '$lib/shared/waiting';
import { versionName } from '$lib/shared/version-names';
import { db } from './db';

/**
 * Whether a version put forward for agreement waits for this person's side: the person whose plan it is has not
 * answered yet, or (for a professional) no professional has agreed and they have not answered themselves.
 */
function waitsFor(user: SessionUser, plan: PlanSummary, version: AgreementRequestFacts): boolean {
	const mine = version.answers.find((answer) => answer.userId === user.id);
	if (mine) return false;
	const ownersAnswer = version.answers.find((answer) => answer.userId === plan.serviceUser.id);
	if (user.id === plan.serviceUser.id) return true;
	if (ownersAnswer?.decision === 'disagree') return false;
	return !version.answers.some((answer) => answer.role === 'professional' && answer.decision === 'agree');
}

/** The start of today and of tomorrow, on the server's clock (the same as booking times are read in). */
function today(now: Date): [Date, Date] {
	const start = new Date(now.getFullYear(), now.getMonth(), now.getDate());
	return [start, new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1)];
}

/**
 * What is waiting for this person on these plans (their own, or their caseload), most pressing first. Supervisors,
 * who read but never change plans, are told only of reviews.
 */
export async function loadWaiting(user: SessionUser, plans: PlanSummary[], now: Date = new Date()): Promise<WaitingItem[]> {
	const open = plans.filter((plan) => plan.status !== 'closed');
	const byId = new Map(open.map((plan) => [plan.id, plan]));
	const itemPlan = (plan: PlanSummary): ItemPlan => ({
		id: plan.id,
		title: plan.title,
		serviceUserName: plan.serviceUser.displayName,
		own: plan.serviceUser.id === user.id
	});
	const ids = [...byId.keys()];
	const writes = user.role === 'service_user' || user.role === 'professional';
	const [versions, unseen, appointments] = writes
		? await Promise.all([
				listNewestAgreementVersions(db(), ids),
				listUnseenChanges(db(), user.id, ids),
				listAttendingBetween(db(), user.id, ids, ...today(now))
			])
		: [[], [], []];

	const items: WaitingItem[] = [];
	for (const appointment of appointments) {
		const plan = byId.get(appointment.planId)!;
		items.push({
			kind: 'appointment-today',
			plan: itemPlan(plan),
			appointmentId: appointment.id,
			scheduledFor: appointment.scheduledFor,
			place: appointment.place,
			running: appointment.startedAt !== null
		});
	}
	for (const version of versions) {
		const plan = byId.get(version.planId)!;
		if (waitsFor(user, plan, version))
			items.push({
				kind: 'agree',
				plan: itemPlan(plan),
				versionId: version.versionId,
				versionName: versionName({ kind: 'agreement', name: version.versionName, createdAt: version.createdAt })
			});
	}
	for (const plan of open) {
		const review = reviewState(plan.reviewDate, now);
		if (review === 'overdue' || review === 'due')
			items.push({ kind: 'review', plan: itemPlan(plan), reviewDate: plan.reviewDate!, overdue: review === 'overdue' });
	}
	for (const changes of unseen) {
		const plan = byId.get(changes.planId)!;
		items.push({
			kind: 'changes',
			plan: itemPlan(plan),
			by: changes.by.map((person) => person.name),
			fromSeq: changes.fromSeq,
			lastSeenAt: changes.lastSeenAt,
			lastChangeAt: changes.lastChangeAt
		});
	}
	return items;
}
