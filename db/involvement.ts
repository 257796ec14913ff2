import { and, asc, eq, gte, inArray, max, sql } from 'drizzle-orm';
import {
	carePlan,
	planInvolvement,
	planInvolvementMonth,
	planSignOff,
	planUpdate,
	planVersion,
	type PlanInvolvement,
	type PlanInvolvementMonth
} from './schema/index.ts';
import type { Database } from './types.ts';

export type NewPlanInvolvement = Omit<PlanInvolvement, 'computedAt'>;

/** Stores a plan's freshly computed measures (replacing the previous ones: this is a cache). */
export async function savePlanInvolvement(db: Database, row: NewPlanInvolvement, months: PlanInvolvementMonth[]): Promise<void> {
	await db.transaction(async (tx) => {
		const { planId: _planId, ...values } = row;
		await tx
			.insert(planInvolvement)
			.values(row)
			.onConflictDoUpdate({ target: planInvolvement.planId, set: { ...values, computedAt: new Date() } });
		for (const month of months) {
			await tx
				.insert(planInvolvementMonth)
				.values(month)
				.onConflictDoUpdate({
					target: [planInvolvementMonth.planId, planInvolvementMonth.month],
					set: { totalChars: month.totalChars, serviceUserChars: month.serviceUserChars, soloSessions: month.soloSessions }
				});
		}
	});
}

/** Stored monthly figures of a plan from `since` (YYYY-MM-01) on. */
export async function loadInvolvementMonths(db: Database, planIds: string[], since: string): Promise<PlanInvolvementMonth[]> {
	if (planIds.length === 0) return [];
	return db
		.select()
		.from(planInvolvementMonth)
		.where(and(inArray(planInvolvementMonth.planId, planIds), gte(planInvolvementMonth.month, since)))
		.orderBy(asc(planInvolvementMonth.month));
}

export async function loadPlanInvolvements(db: Database, planIds: string[]): Promise<PlanInvolvement[]> {
	if (planIds.length === 0) return [];
	return db.select().from(planInvolvement).where(inArray(planInvolvement.planId, planIds));
}

/**
 * Plans whose stored measures are missing or older than their log, their versions or their sign-offs: the ones
 * to recompute before the figures are shown.
 */
export async function findStaleInvolvements(db: Database, planIds: string[]): Promise<string[]> {
	if (planIds.length === 0) return [];
	const [latestUpdates, latestVersions, latestSignOffs, stored] = await Promise.all([
		db
			.select({ planId: planUpdate.planId, seq: max(planUpdate.seq) })
			.from(planUpdate)
			.where(inArray(planUpdate.planId, planIds))
			.groupBy(planUpdate.planId),
		db
			.select({ planId: planVersion.planId, at: max(planVersion.createdAt) })
			.from(planVersion)
			.where(inArray(planVersion.planId, planIds))
			.groupBy(planVersion.planId),
		db
			.select({ planId: planVersion.planId, at: max(planSignOff.at) })
			.from(planSignOff)
			.innerJoin(planVersion, eq(planSignOff.versionId, planVersion.id))
			.where(inArray(planVersion.planId, planIds))
			.groupBy(planVersion.planId),
		db
			.select({ planId: planInvolvement.planId, throughSeq: planInvolvement.throughSeq, computedAt: planInvolvement.computedAt })
			.from(planInvolvement)
			.where(inArray(planInvolvement.planId, planIds))
	]);
	const storedBy = new Map(stored.map((row) => [row.planId, row]));
	const seqBy = new Map(latestUpdates.map((row) => [row.planId, Number(row.seq ?? 0)]));
	const changedAt = new Map<string, number>();
	for (const row of [...latestVersions, ...latestSignOffs]) {
		const at = row.at ? new Date(row.at).getTime() : 0;
		changedAt.set(row.planId, Math.max(changedAt.get(row.planId) ?? 0, at));
	}
	return planIds.filter((planId) => {
		const row = storedBy.get(planId);
		if (!row) return true;
		return row.throughSeq < (seqBy.get(planId) ?? 0) || row.computedAt.getTime() < (changedAt.get(planId) ?? 0);
	});
}

/** Which of these plans have stored measures. */
export async function listMeasuredPlans(db: Database, planIds: string[]): Promise<Set<string>> {
	if (planIds.length === 0) return new Set();
	const rows = await db.select({ planId: planInvolvement.planId }).from(planInvolvement).where(inArray(planInvolvement.planId, planIds));
	return new Set(rows.map((row) => row.planId));
}

/** A plan's id and the person whose plan it is. */
export async function findPlanOwner(db: Database, planId: string): Promise<{ id: string; serviceUserId: string; createdAt: Date } | null> {
	const [row] = await db
		.select({ id: carePlan.id, serviceUserId: carePlan.serviceUserId, createdAt: carePlan.createdAt })
		.from(carePlan)
		.where(eq(carePlan.id, planId));
	return row ?? null;
}

/** Every plan id (for the start-up sweep). */
export async function listAllPlanIds(db: Database): Promise<string[]> {
	const rows = await db
		.select({ id: carePlan.id })
		.from(carePlan)
		.orderBy(sql`${carePlan.createdAt}`);
	return rows.map((row) => row.id);
}
