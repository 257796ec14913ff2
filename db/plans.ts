import { alias } from 'drizzle-orm/pg-core';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { recordAuditEvent } from './audit.ts';
import { err, ok, type Result } from './result.ts';
import { carePlan, careTeamMember, team, teamMember, user, type CarePlan, type User } from './schema/index.ts';
import type { Database } from './types.ts';

/** What a person may do with a plan's content. Admins manage plans but never read their content. */
export type PlanAccess = 'edit' | 'read';

/** A plan with the names people see in lists and headers. */
export interface PlanSummary {
	id: string;
	title: string;
	status: CarePlan['status'];
	reviewDate: string | null;
	createdAt: Date;
	updatedAt: Date;
	serviceUser: { id: string; displayName: string };
	team: { id: string; name: string };
}

const serviceUser = alias(user, 'service_user');

function selectPlanSummaries(db: Database) {
	return db
		.select({
			id: carePlan.id,
			title: carePlan.title,
			status: carePlan.status,
			reviewDate: carePlan.reviewDate,
			createdAt: carePlan.createdAt,
			updatedAt: carePlan.updatedAt,
			serviceUser: { id: serviceUser.id, displayName: serviceUser.displayName },
			team: { id: team.id, name: team.name }
		})
		.from(carePlan)
		.innerJoin(serviceUser, eq(carePlan.serviceUserId, serviceUser.id))
		.innerJoin(team, eq(carePlan.teamId, team.id));
}

export interface NewPlan {
	title: string;
	serviceUserId: string;
	teamId: string;
	reviewDate?: string | null;
}

/**
 * Creates a plan for a service user within a team; the service user joins the team if not yet in it.
 */
export async function createPlan(db: Database, plan: NewPlan): Promise<Result<CarePlan, 'not_a_service_user' | 'unknown_team'>> {
	const [owner] = await db.select({ role: user.role }).from(user).where(eq(user.id, plan.serviceUserId));
	if (owner?.role !== 'service_user') return err('not_a_service_user');
	const [planTeam] = await db.select({ id: team.id }).from(team).where(eq(team.id, plan.teamId));
	if (!planTeam) return err('unknown_team');
	return db.transaction(async (tx) => {
		const [row] = await tx
			.insert(carePlan)
			.values({ title: plan.title, serviceUserId: plan.serviceUserId, teamId: plan.teamId, reviewDate: plan.reviewDate ?? null })
			.returning();
		await tx.insert(teamMember).values({ teamId: plan.teamId, userId: plan.serviceUserId }).onConflictDoNothing();
		return ok(row!);
	});
}

export async function findPlanById(db: Database, planId: string): Promise<CarePlan | null> {
	const [row] = await db.select().from(carePlan).where(eq(carePlan.id, planId));
	return row ?? null;
}

export async function findPlanSummary(db: Database, planId: string): Promise<PlanSummary | null> {
	const [row] = await selectPlanSummaries(db).where(eq(carePlan.id, planId));
	return row ?? null;
}

/** The access rule, given the facts about one person and one plan. */
function decideAccess(
	person: Pick<User, 'id' | 'role'>,
	plan: Pick<CarePlan, 'serviceUserId'>,
	facts: { onCareTeam: boolean; inTeam: boolean }
): PlanAccess | null {
	switch (person.role) {
		case 'service_user':
			return plan.serviceUserId === person.id ? 'edit' : null;
		case 'professional':
			return facts.onCareTeam ? 'edit' : null;
		case 'supervisor':
			return facts.inTeam ? 'read' : null;
		case 'admin':
			return null;
	}
}

/**
 * What this person may do with the plan's content, or null when they may not see it at all
 * (callers answer 404 so that the plan's existence is not revealed).
 */
export async function getPlanAccess(db: Database, person: Pick<User, 'id' | 'role'>, planId: string): Promise<PlanAccess | null> {
	const plan = await findPlanById(db, planId);
	if (!plan) return null;
	const [careTeam, team] = await Promise.all([
		person.role === 'professional'
			? db
					.select({ userId: careTeamMember.userId })
					.from(careTeamMember)
					.where(and(eq(careTeamMember.planId, planId), eq(careTeamMember.userId, person.id)))
			: [],
		person.role === 'supervisor'
			? db
					.select({ userId: teamMember.userId })
					.from(teamMember)
					.where(and(eq(teamMember.teamId, plan.teamId), eq(teamMember.userId, person.id)))
			: []
	]);
	return decideAccess(person, plan, { onCareTeam: careTeam.length > 0, inTeam: team.length > 0 });
}

/**
 * The same answer as getPlanAccess for many (person, plan) pairs in three queries, for re-checking every open
 * connection at once. Keys are `${personId}:${planId}`.
 */
export async function getPlanAccessMany(db: Database, pairs: { person: Pick<User, 'id' | 'role'>; planId: string }[]): Promise<Map<string, PlanAccess | null>> {
	const result = new Map<string, PlanAccess | null>();
	if (pairs.length === 0) return result;
	const planIds = [...new Set(pairs.map((pair) => pair.planId))];
	const plans = await db.select().from(carePlan).where(inArray(carePlan.id, planIds));
	const planById = new Map(plans.map((plan) => [plan.id, plan]));
	const teamIds = [...new Set(plans.map((plan) => plan.teamId))];
	const [careTeams, teams] = await Promise.all([
		db.select({ planId: careTeamMember.planId, userId: careTeamMember.userId }).from(careTeamMember).where(inArray(careTeamMember.planId, planIds)),
		teamIds.length > 0 ? db.select({ teamId: teamMember.teamId, userId: teamMember.userId }).from(teamMember).where(inArray(teamMember.teamId, teamIds)) : []
	]);
	const onCareTeam = new Set(careTeams.map((row) => `${row.userId}:${row.planId}`));
	const inTeam = new Set(teams.map((row) => `${row.userId}:${row.teamId}`));
	for (const { person, planId } of pairs) {
		const plan = planById.get(planId);
		result.set(
			`${person.id}:${planId}`,
			plan ? decideAccess(person, plan, { onCareTeam: onCareTeam.has(`${person.id}:${planId}`), inTeam: inTeam.has(`${person.id}:${plan.teamId}`) }) : null
		);
	}
	return result;
}

/** A service user's own plans. */
export async function listPlansOfServiceUser(db: Database, serviceUserId: string): Promise<PlanSummary[]> {
	return selectPlanSummaries(db).where(eq(carePlan.serviceUserId, serviceUserId)).orderBy(asc(carePlan.title));
}

/** A professional's caseload: the plans whose care team they are on. */
export async function listCaseload(db: Database, professionalId: string): Promise<PlanSummary[]> {
	const planIds = db.select({ planId: careTeamMember.planId }).from(careTeamMember).where(eq(careTeamMember.userId, professionalId));
	return selectPlanSummaries(db).where(inArray(carePlan.id, planIds)).orderBy(asc(serviceUser.displayName));
}

/** Every plan of the teams a supervisor belongs to. */
export async function listTeamPlans(db: Database, supervisorId: string): Promise<PlanSummary[]> {
	const teamIds = db.select({ teamId: teamMember.teamId }).from(teamMember).where(eq(teamMember.userId, supervisorId));
	return selectPlanSummaries(db).where(inArray(carePlan.teamId, teamIds)).orderBy(asc(team.name), asc(serviceUser.displayName));
}

/** Every plan, for the admin area (metadata only). */
export async function listAllPlans(db: Database): Promise<PlanSummary[]> {
	return selectPlanSummaries(db).orderBy(asc(team.name), asc(serviceUser.displayName));
}

export type CareTeamMember = Pick<User, 'id' | 'displayName' | 'role' | 'discipline'>;

/** The professionals on a plan's care team. */
export async function listCareTeam(db: Database, planId: string): Promise<CareTeamMember[]> {
	return db
		.select({ id: user.id, displayName: user.displayName, role: user.role, discipline: user.discipline })
		.from(careTeamMember)
		.innerJoin(user, eq(careTeamMember.userId, user.id))
		.where(eq(careTeamMember.planId, planId))
		.orderBy(asc(user.displayName));
}

/** Who changes a care team, for the audit event every change records. */
export interface CareTeamChangeOrigin {
	ip?: string | null;
	/** Added to the event's detail, e.g. `{ via: 'cli' }`. */
	detail?: Record<string, unknown>;
}

/**
 * Puts a professional on a plan's care team (they also join the plan's team) and records
 * `care_team.member_added` in the same transaction, so that no change goes unseen by the person and supervisors.
 * @param addedBy the person making the change; null for the command line.
 * @returns whether they were added (false when already on it).
 */
export async function addCareTeamMember(
	db: Database,
	planId: string,
	userId: string,
	addedBy: string | null,
	origin: CareTeamChangeOrigin = {}
): Promise<Result<boolean, 'unknown_plan' | 'not_a_professional'>> {
	const plan = await findPlanById(db, planId);
	if (!plan) return err('unknown_plan');
	const [member] = await db.select({ role: user.role }).from(user).where(eq(user.id, userId));
	if (member?.role !== 'professional') return err('not_a_professional');
	return db.transaction(async (tx) => {
		const rows = await tx.insert(careTeamMember).values({ planId, userId, addedBy }).onConflictDoNothing().returning();
		await tx.insert(teamMember).values({ teamId: plan.teamId, userId }).onConflictDoNothing();
		if (rows.length > 0) await recordCareTeamChange(tx as unknown as Database, 'care_team.member_added', planId, userId, addedBy, origin);
		return ok(rows.length > 0);
	});
}

/**
 * Takes a person off a plan's care team and records `care_team.member_removed` in the same transaction.
 * @param removedBy the person making the change; null for the command line.
 * @returns whether the person was on the care team.
 */
export async function removeCareTeamMember(
	db: Database,
	planId: string,
	userId: string,
	removedBy: string | null,
	origin: CareTeamChangeOrigin = {}
): Promise<boolean> {
	return db.transaction(async (tx) => {
		const rows = await tx
			.delete(careTeamMember)
			.where(and(eq(careTeamMember.planId, planId), eq(careTeamMember.userId, userId)))
			.returning();
		if (rows.length > 0) await recordCareTeamChange(tx as unknown as Database, 'care_team.member_removed', planId, userId, removedBy, origin);
		return rows.length > 0;
	});
}

function recordCareTeamChange(
	db: Database,
	action: 'care_team.member_added' | 'care_team.member_removed',
	planId: string,
	userId: string,
	actorId: string | null,
	origin: CareTeamChangeOrigin
): Promise<void> {
	return recordAuditEvent(db, { actorId, action, targetType: 'plan', targetId: planId, ip: origin.ip, detail: { ...origin.detail, userId } });
}

export interface PlanDetails {
	title: string;
	reviewDate: string | null;
	status: CarePlan['status'];
}

export async function updatePlanDetails(db: Database, planId: string, details: PlanDetails): Promise<void> {
	await db
		.update(carePlan)
		.set({ ...details, updatedAt: sql`now()` })
		.where(eq(carePlan.id, planId));
}
