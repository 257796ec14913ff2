import { and, asc, desc, eq, gt, gte, lt, lte, min } from 'drizzle-orm';
import { planCheckpoint, planUpdate, type StoredChangeSummary } from './schema/index.ts';
import type { Database } from './types.ts';

/** One logged change as the history shows it: who, when, in which context, and what it did. */
export interface UpdateSummaryRow {
	seq: number;
	userId: string;
	at: Date;
	context: 'joint' | 'solo';
	summary: StoredChangeSummary | null;
}

/** Logged changes before `beforeSeq`, newest first (a page of the history scan). */
export async function listUpdateSummaries(db: Database, planId: string, beforeSeq: number, limit: number): Promise<UpdateSummaryRow[]> {
	return db
		.select({ seq: planUpdate.seq, userId: planUpdate.userId, at: planUpdate.at, context: planUpdate.context, summary: planUpdate.summary })
		.from(planUpdate)
		.where(and(eq(planUpdate.planId, planId), lt(planUpdate.seq, beforeSeq)))
		.orderBy(desc(planUpdate.seq))
		.limit(limit);
}

/** Every logged change of a plan, newest first (the whole history, for a person's copy of all data about them). */
export async function listPlanChanges(db: Database, planId: string): Promise<UpdateSummaryRow[]> {
	return db
		.select({ seq: planUpdate.seq, userId: planUpdate.userId, at: planUpdate.at, context: planUpdate.context, summary: planUpdate.summary })
		.from(planUpdate)
		.where(eq(planUpdate.planId, planId))
		.orderBy(desc(planUpdate.seq));
}

/**
 * Each person's first logged change at or after `seq`: tells whether their changes just before `seq` belong to
 * an edit session that continues past it (and so to an earlier page of the history).
 */
export async function firstUpdatesFrom(db: Database, planId: string, seq: number): Promise<UpdateSummaryRow[]> {
	return db
		.selectDistinctOn([planUpdate.userId], {
			seq: planUpdate.seq,
			userId: planUpdate.userId,
			at: planUpdate.at,
			context: planUpdate.context,
			summary: planUpdate.summary
		})
		.from(planUpdate)
		.where(and(eq(planUpdate.planId, planId), gte(planUpdate.seq, seq)))
		.orderBy(planUpdate.userId, asc(planUpdate.seq));
}

/** The plan's document at `seq`: the latest checkpoint at or before it and the changes after that, up to `seq`. */
export async function loadPlanStateAt(db: Database, planId: string, seq: number): Promise<{ checkpoint: Uint8Array | null; tail: Uint8Array[] }> {
	const [checkpoint] = await db
		.select({ seq: planCheckpoint.seq, state: planCheckpoint.state })
		.from(planCheckpoint)
		.where(and(eq(planCheckpoint.planId, planId), lte(planCheckpoint.seq, seq)))
		.orderBy(desc(planCheckpoint.seq))
		.limit(1);
	const tail = await db
		.select({ update: planUpdate.update })
		.from(planUpdate)
		.where(and(eq(planUpdate.planId, planId), gt(planUpdate.seq, checkpoint?.seq ?? 0), lte(planUpdate.seq, seq)))
		.orderBy(asc(planUpdate.seq));
	return { checkpoint: checkpoint?.state ?? null, tail: tail.map((row) => row.update) };
}

/** Every logged change from `fromSeq` to `toSeq` (inclusive) with its author, oldest first. */
export async function loadPlanLog(
	db: Database,
	planId: string,
	fromSeq: number,
	toSeq: number
): Promise<{ seq: number; userId: string; at: Date; update: Uint8Array }[]> {
	return db
		.select({ seq: planUpdate.seq, userId: planUpdate.userId, at: planUpdate.at, update: planUpdate.update })
		.from(planUpdate)
		.where(and(eq(planUpdate.planId, planId), gte(planUpdate.seq, fromSeq), lte(planUpdate.seq, toSeq)))
		.orderBy(asc(planUpdate.seq));
}

/** One logged change, or null. */
export async function findPlanUpdate(db: Database, planId: string, seq: number): Promise<UpdateSummaryRow | null> {
	const [row] = await db
		.select({ seq: planUpdate.seq, userId: planUpdate.userId, at: planUpdate.at, context: planUpdate.context, summary: planUpdate.summary })
		.from(planUpdate)
		.where(and(eq(planUpdate.planId, planId), eq(planUpdate.seq, seq)));
	return row ?? null;
}

/** Everyone who has changed the plan (up to change `upToSeq`, when given). */
export async function listPlanWriters(db: Database, planId: string, upToSeq?: number): Promise<string[]> {
	const rows = await db
		.selectDistinct({ userId: planUpdate.userId })
		.from(planUpdate)
		.where(and(eq(planUpdate.planId, planId), upToSeq === undefined ? undefined : lte(planUpdate.seq, upToSeq)));
	return rows.map((row) => row.userId);
}

/** Per person who wrote in a plan: the first change they made (its seq), so who had written by any version is known. */
export async function listFirstWrites(db: Database, planId: string): Promise<Record<string, number>> {
	const rows = await db
		.select({ userId: planUpdate.userId, first: min(planUpdate.seq) })
		.from(planUpdate)
		.where(eq(planUpdate.planId, planId))
		.groupBy(planUpdate.userId);
	return Object.fromEntries(rows.map((row) => [row.userId, Number(row.first)]));
}

/** One person's logged changes to a plan, oldest first. */
export async function listChangesBy(db: Database, planId: string, userId: string): Promise<UpdateSummaryRow[]> {
	return db
		.select({ seq: planUpdate.seq, userId: planUpdate.userId, at: planUpdate.at, context: planUpdate.context, summary: planUpdate.summary })
		.from(planUpdate)
		.where(and(eq(planUpdate.planId, planId), eq(planUpdate.userId, userId)))
		.orderBy(asc(planUpdate.seq));
}
