import type postgres from 'postgres';
import { isUniqueViolation } from '../../db/errors.ts';
import { commitPlanChanges, updatesAreStored } from '../../db/plan-log.ts';
import type { Database } from '../../db/types.ts';
import type { CommitBatch } from './plan-store.ts';

interface Waiting {
	batch: CommitBatch;
	resolve(): void;
	reject(error: unknown): void;
}

/**
 * Group commit across every plan of the process, with no idle waiting: a batch is written at once when a write
 * slot is free; batches that arrive while every slot is busy gather and go into the next write together (one
 * transaction, one fsync). Under load this turns hundreds of tiny commits a second into a few larger ones.
 * Each room hands over one batch at a time, so batches of one plan never overtake each other.
 */
export class CommitQueue {
	private readonly waiting: Waiting[] = [];
	private inFlight = 0;

	/**
	 * @param client the connections commits use (a pool of their own, so no long read queues in front of them)
	 * @param db for the rare check after a failed write
	 * @param slots writes in flight at once (the size of that pool)
	 */
	constructor(
		private readonly client: postgres.Sql,
		private readonly db: Database,
		private readonly slots = 2
	) {}

	/** Resolves once the batch is committed; rejects if it could not be (nothing of it is then stored). */
	commit(batch: CommitBatch): Promise<void> {
		return new Promise((resolve, reject) => {
			this.waiting.push({ batch, resolve, reject });
			if (this.inFlight < this.slots) void this.writeWaiting();
		});
	}

	/** Writes everything waiting as one group, then the next group if more arrived meanwhile. */
	private async writeWaiting(): Promise<void> {
		this.inFlight += 1;
		try {
			while (this.waiting.length > 0) {
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
			this.inFlight -= 1;
		}
	}

	/** True when every update of the batch is stored already, byte for byte (an earlier write that reported failure). */
	private alreadyStored(batch: CommitBatch): Promise<boolean> {
		return updatesAreStored(this.db, batch.updates).catch(() => false);
	}

	/** Bindings and updates of the group in one transaction: all of it is stored, or none. */
	private write(batches: CommitBatch[]): Promise<void> {
		return commitPlanChanges(
			this.client,
			batches.flatMap((batch) => batch.bindings),
			batches.flatMap((batch) => batch.updates)
		);
	}
}
