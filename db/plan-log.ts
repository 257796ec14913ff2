import { and, asc, desc, eq, gt, inArray, max, sql } from 'drizzle-orm';
import type postgres from 'postgres';
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
const ROWS_PER_STATEMENT = 1000;

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

/**
 * The live path's write: a group of committed changes (of one plan or many) and the client bindings they need, in
 * one transaction — or, with no bindings, in one INSERT, which is a transaction of its own. Written with
 * postgres.js directly rather than the query builder: it runs for every keystroke, and the builder doubled the
 * time of a one-row commit (0.84 against 0.40 ms, measured on the embedded PostgreSQL).
 * @param client connections of their own for commits (OpenDatabase.commitClient)
 */
export async function commitPlanChanges(client: postgres.Sql, bindings: PlanClientBinding[], updates: NewPlanUpdate[]): Promise<void> {
	const updateRows = updates.map((change) => ({
		plan_id: change.planId,
		seq: change.seq,
		user_id: change.userId,
		client_id: change.clientId,
		context: change.context,
		update: change.update,
		summary: change.summary ? client.json(change.summary as unknown as postgres.JSONValue) : null
	}));
	const insertUpdates = async (sql: postgres.Sql | postgres.TransactionSql) => {
		for (let start = 0; start < updateRows.length; start += ROWS_PER_STATEMENT) {
			await sql`INSERT INTO plan_update ${sql(updateRows.slice(start, start + ROWS_PER_STATEMENT))}`;
		}
	};
	if (bindings.length === 0 && updateRows.length <= ROWS_PER_STATEMENT) return insertUpdates(client);
	const bindingRows = bindings.map((binding) => ({ plan_id: binding.planId, client_id: binding.clientId, user_id: binding.userId }));
	await client.begin(async (tx) => {
		for (let start = 0; start < bindingRows.length; start += ROWS_PER_STATEMENT) {
			await tx`INSERT INTO plan_client ${tx(bindingRows.slice(start, start + ROWS_PER_STATEMENT))} ON CONFLICT DO NOTHING`;
		}
		await insertUpdates(tx);
	});
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
	const [row] = await db
		.select({ seq: max(planUpdate.seq) })
		.from(planUpdate)
		.where(eq(planUpdate.planId, planId));
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
		.where(
			and(
				eq(planUpdate.planId, planId),
				inArray(
					planUpdate.seq,
					updates.map((update) => update.seq)
				)
			)
		);
	const bySeq = new Map(stored.map((row) => [row.seq, Buffer.from(row.update)]));
	return updates.every((update) => update.planId === planId && bySeq.get(update.seq)?.equals(update.update) === true);
}

/** How many updates a plan has, for tests and benchmarks. */
export async function countPlanUpdates(db: Database, planId: string): Promise<number> {
	const [row] = await db
		.select({ n: sql<number>`count(*)::int` })
		.from(planUpdate)
		.where(eq(planUpdate.planId, planId));
	return row?.n ?? 0;
}
