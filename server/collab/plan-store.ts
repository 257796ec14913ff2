import type { NewPlanUpdate, PlanClientBinding, StoredPlanState } from '../../db/plan-log.ts';

/** What one room hands over to be committed: new client bindings and its changes, with their seqs. */
export interface CommitBatch {
	bindings: PlanClientBinding[];
	updates: NewPlanUpdate[];
}

/** Everything a room reads before it takes its first message. */
export interface StoredPlan {
	/** The latest checkpoint and the log after it. */
	state: StoredPlanState;
	/** Yjs client id → the person it belongs to in this plan. */
	clients: Map<number, string>;
	/** An appointment of the plan is running (every change is then `joint`). */
	appointmentRunning: boolean;
}

/**
 * Where plans' documents live: the append-only log of changes with its client bindings, and checkpoints of the
 * merged state. Rooms read and write only through this, so that another storage can take its place; every
 * implementation passes the same contract (plan-store.contract.ts).
 */
export interface PlanStore {
	/** Reads what a room needs to open a plan: its latest checkpoint and log tail, its client bindings, its appointment. */
	load(planId: string): Promise<StoredPlan>;
	/** The checkpoint at or before `seq` and the log after it, up to `seq` (to merge a checkpoint elsewhere). */
	loadStateAt(planId: string, seq: number): Promise<{ checkpoint: Uint8Array | null; tail: Uint8Array[] }>;
	/**
	 * Stores a batch durably, bindings and updates together or not at all; resolves once it is committed. A batch
	 * already stored byte for byte (a retry of a write that reported failure) resolves too; a clash rejects.
	 * Batches of one plan must be handed over one at a time.
	 */
	commit(batch: CommitBatch): Promise<void>;
	/** Stores the merged document state as of `seq` (an existing checkpoint at that seq is kept). */
	writeCheckpoint(planId: string, seq: number, state: Uint8Array): Promise<void>;
	/** The highest seq stored for a plan, 0 when there is none. */
	lastSeq(planId: string): Promise<number>;
	/** Whether an appointment of the plan is running now. */
	appointmentRunning(planId: string): Promise<boolean>;
}
