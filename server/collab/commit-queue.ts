import { isUniqueViolation } from '../../db/errors.ts';
import { appendPlanUpdates, bindPlanClients, updatesAreStored, type NewPlanUpdate, type PlanClientBinding } from '../../db/plan-log.ts';
import type { Database } from '../../db/types.ts';

/** What one room hands over to be committed: new client bindings and its changes, with their seqs. */
export interface CommitBatch {
	bindings: PlanClientBinding[];
	updates: NewPlanUpdate[];
}

interface Waiting {
	batch: CommitBatch;
	resolve(): void;
	reject(error: unknown): void;
}

/**
 * Group commit across every plan of the process: while one write is in flight, batches from all rooms
 * gather and go into the next write together. Under load this turns hundreds of tiny commits a second into a
 * few larger ones; when idle, a batch is written at once.
 */
export class CommitQueue {
	private readonly waiting: Waiting[] = [];
	private draining = false;

	/** @param windowMs how long a write waits for more batches to join it (a few ms: fewer, larger commits). */
	constructor(
		private readonly db: Database,
		private readonly windowMs = 4
	) {}

	/** Resolves once the batch is committed; rejects if it could not be (nothing of it is then stored). */
	commit(batch: CommitBatch): Promise<void> {
		return new Promise((resolve, reject) => {
			this.waiting.push({ batch, resolve, reject });
			if (!this.draining) void this.drain();
		});
	}

	private async drain(): Promise<void> {
		this.draining = true;
		try {
			while (this.waiting.length > 0) {
				await new Promise((resolve) => setTimeout(resolve, this.windowMs));
				const group = this.waiting.splice(0);
				try {
					await this.write(group.map((entry) => entry.batch));
					for (const entry of group) entry.resolve();
				} catch {
					// One plan's problem must not fail the others: write each batch on its own to find it.
					for (const entry of group) {
						try {
							await this.write([entry.batch]);
							entry.resolve();
						} catch (error) {
							if (isUniqueViolation(error) && (await this.alreadyStored(entry.batch))) entry.resolve();
							else entry.reject(error);
						}
					}
				}
			}
		} finally {
			this.draining = false;
		}
	}

	/** True when every update of the batch is stored already, byte for byte (an earlier chunk of the group write). */
	private alreadyStored(batch: CommitBatch): Promise<boolean> {
		return updatesAreStored(this.db, batch.updates).catch(() => false);
	}

	private async write(batches: CommitBatch[]): Promise<void> {
		await bindPlanClients(this.db, batches.flatMap((batch) => batch.bindings));
		// A single INSERT per chunk: all of its rows are stored, or none.
		await appendPlanUpdates(this.db, batches.flatMap((batch) => batch.updates));
	}
}
