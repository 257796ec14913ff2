import { and, asc, desc, eq, gt, inArray, max, sql } from 'drizzle-orm';
import { planCheckpoint, planClient, planUpdate, type StoredChangeSummary } from './schema/index.ts';
import type { Database } from './types.ts';

/** One committed change to a plan's document, as the collaboration server appends it. */
export interface NewPlanUpdate {
	planId: string;
	seq: number;
	userId: string;
	clientId: number;
	context: 'joint' | 'solo';
	update: Uint8Array;
	/** What the change did, for the history (see src/lib/shared/change-summary.ts). */
	summary?: StoredChangeSummary | null;
	/** When it was committed; the database's clock unless given (demo data and benchmarks write a past). */
	at?: Date;
}

/** What it takes to rebuild a plan's document: the latest checkpoint and every update after it. */
export interface StoredPlanState {
	checkpoint: Uint8Array | null;
	checkpointSeq: number;
	tail: Uint8Array[];
	/** The highest seq stored (0 for a plan nobody has written in). */
	lastSeq: number;
}

/** Reads the latest checkpoint of a plan and the log tail after it. */
export async function loadPlanState(db: Database, planId: string): Promise<StoredPlanState> {
	const [checkpoint] = await db
		.select({ seq: planCheckpoint.seq, state: planCheckpoint.state })
		.from(planCheckpoint)
		.where(eq(planCheckpoint.planId, planId))
		.orderBy(desc(planCheckpoint.seq))
		.limit(1);
	const checkpointSeq = checkpoint?.seq ?? 0;
	const tail = await db
		.select({ seq: planUpdate.seq, update: planUpdate.update })
		.from(planUpdate)
		.where(and(eq(planUpdate.planId, planId), gt(planUpdate.seq, checkpointSeq)))
		.orderBy(asc(planUpdate.seq));
	return {
		checkpoint: checkpoint?.state ?? null,
		checkpointSeq,
		tail: tail.map((row) => row.update),
		lastSeq: tail.at(-1)?.seq ?? checkpointSeq
	};
}

/** Rows per INSERT statement, well under PostgreSQL's limit of 65,535 parameters. */
export const ROWS_PER_STATEMENT = 1000;

/**
 * Appends committed changes, of one plan or many, in as few statements as possible (one commit for a whole
 * group). Rows carry their seq, so a retried append cannot store a change twice: it fails on the primary key.
 */
export async function appendPlanUpdates(db: Database, updates: NewPlanUpdate[]): Promise<void> {
	for (let start = 0; start < updates.length; start += ROWS_PER_STATEMENT) {
		await db.insert(planUpdate).values(updates.slice(start, start + ROWS_PER_STATEMENT));
	}
}

export interface PlanClientBinding {
	planId: string;
	clientId: number;
	userId: string;
}

/** Records which person a Yjs client id belongs to in a plan; an existing binding is kept. */
export async function bindPlanClients(db: Database, bindings: PlanClientBinding[]): Promise<void> {
	for (let start = 0; start < bindings.length; start += ROWS_PER_STATEMENT) {
		await db
			.insert(planClient)
			.values(bindings.slice(start, start + ROWS_PER_STATEMENT))
			.onConflictDoNothing();
	}
}

/** Every client id of the plan with its person. */
export async function loadPlanClients(db: Database, planId: string): Promise<Map<number, string>> {
	const rows = await db.select({ clientId: planClient.clientId, userId: planClient.userId }).from(planClient).where(eq(planClient.planId, planId));
	return new Map(rows.map((row) => [row.clientId, row.userId]));
}

/** Stores the merged document state as of `seq`. */
export async function writePlanCheckpoint(db: Database, planId: string, seq: number, state: Uint8Array): Promise<void> {
	await db.insert(planCheckpoint).values({ planId, seq, state }).onConflictDoNothing();
}

/** The highest seq stored for a plan, 0 when there is none. */
export async function lastPlanSeq(db: Database, planId: string): Promise<number> {
	const [row] = await db.select({ seq: max(planUpdate.seq) }).from(planUpdate).where(eq(planUpdate.planId, planId));
	return Number(row?.seq ?? 0);
}

/**
 * True when every one of these updates is stored exactly (same plan, seq and bytes): tells whether a write
 * that failed on a duplicate key had in fact been stored by an earlier attempt, rather than clashing with
 * something else.
 */
export async function updatesAreStored(db: Database, updates: NewPlanUpdate[]): Promise<boolean> {
	const planId = updates[0]?.planId;
	if (!planId) return true;
	const stored = await db
		.select({ seq: planUpdate.seq, update: planUpdate.update })
		.from(planUpdate)
		.where(and(eq(planUpdate.planId, planId), inArray(planUpdate.seq, updates.map((update) => update.seq))));
	const bySeq = new Map(stored.map((row) => [row.seq, Buffer.from(row.update)]));
	return updates.every((update) => update.planId === planId && bySeq.get(update.seq)?.equals(update.update) === true);
}

/** How many updates a plan has, for tests and benchmarks. */
export async function countPlanUpdates(db: Database, planId: string): Promise<number> {
	const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(planUpdate).where(eq(planUpdate.planId, planId));
	return row?.n ?? 0;
}
