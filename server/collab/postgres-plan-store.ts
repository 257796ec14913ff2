import type postgres from 'postgres';
import { findRunningAppointment } from '../../db/appointments.ts';
import { loadPlanStateAt } from '../../db/plan-history.ts';
import { lastPlanSeq, loadPlanClients, loadPlanState, writePlanCheckpoint } from '../../db/plan-log.ts';
import type { Database } from '../../db/types.ts';
import { CommitQueue } from './commit-queue.ts';
import type { CommitBatch, PlanStore, StoredPlan } from './plan-store.ts';

/**
 * The plan store on PostgreSQL (embedded or external): reads through the query builder, commits through the
 * process-wide group commit (CommitQueue) on connections of their own, written with postgres.js directly.
 */
export class PostgresPlanStore implements PlanStore {
	private readonly commits: CommitQueue;

	/**
	 * @param db the app's database, for reads and checkpoints
	 * @param commitClient connections of their own for committing live changes (OpenDatabase.commitClient)
	 */
	constructor(
		private readonly db: Database,
		commitClient: postgres.Sql
	) {
		this.commits = new CommitQueue(commitClient, db);
	}

	async load(planId: string): Promise<StoredPlan> {
		const [state, clients, appointment] = await Promise.all([
			loadPlanState(this.db, planId),
			loadPlanClients(this.db, planId),
			findRunningAppointment(this.db, planId)
		]);
		return { state, clients, appointmentRunning: appointment !== null };
	}

	loadStateAt(planId: string, seq: number): Promise<{ checkpoint: Uint8Array | null; tail: Uint8Array[] }> {
		return loadPlanStateAt(this.db, planId, seq);
	}

	commit(batch: CommitBatch): Promise<void> {
		return this.commits.commit(batch);
	}

	writeCheckpoint(planId: string, seq: number, state: Uint8Array): Promise<void> {
		return writePlanCheckpoint(this.db, planId, seq, state);
	}

	lastSeq(planId: string): Promise<number> {
		return lastPlanSeq(this.db, planId);
	}

	async appointmentRunning(planId: string): Promise<boolean> {
		return (await findRunningAppointment(this.db, planId)) !== null;
	}
}
