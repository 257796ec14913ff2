import { findStaleInvolvements, listAllPlanIds } from '../../db/involvement.ts';
import type { Database } from '../../db/types.ts';
import { measurePlanInvolvement } from './measure.ts';

/**
 * Keeps every plan's involvement measures current: a plan is re-measured a moment after changes to it are committed
 * (one run per plan at a time, changes meanwhile batched into the next run), and on demand before figures are shown.
 */
export class InvolvementTracker {
	private readonly waiting = new Set<string>();
	private readonly running = new Map<string, Promise<void>>();
	private timer: NodeJS.Timeout | null = null;
	private closed = false;

	constructor(
		private readonly db: Database,
		private readonly delayMs = 2_000
	) {}

	/** Something about the plan changed: re-measure it soon. */
	markChanged(planId: string): void {
		if (this.closed) return;
		this.waiting.add(planId);
		if (this.timer) return;
		this.timer = setTimeout(() => {
			this.timer = null;
			const planIds = [...this.waiting];
			this.waiting.clear();
			void this.refresh(planIds).catch((error: unknown) => console.error('[chorus] could not update involvement measures:', error));
		}, this.delayMs);
		this.timer.unref();
	}

	/** Re-measures these plans now (each after any run already under way for it). */
	async refresh(planIds: string[]): Promise<void> {
		for (const planId of planIds) await this.measure(planId);
	}

	/** Re-measures whichever of these plans have figures older than their log, versions or sign-offs. */
	async refreshStale(planIds: string[]): Promise<void> {
		await this.refresh(await findStaleInvolvements(this.db, planIds));
	}

	/** At start-up: brings every plan's figures up to date, in the background. */
	sweep(): Promise<void> {
		return listAllPlanIds(this.db)
			.then((planIds) => this.refreshStale(planIds))
			.catch((error: unknown) => {
				if (!this.closed) console.error('[chorus] could not bring involvement measures up to date:', error);
			});
	}

	private measure(planId: string): Promise<void> {
		const previous = this.running.get(planId) ?? Promise.resolve();
		const run = previous.then(() => (this.closed ? undefined : measurePlanInvolvement(this.db, planId)));
		const tracked = run.finally(() => {
			if (this.running.get(planId) === tracked) this.running.delete(planId);
		});
		this.running.set(planId, tracked);
		return tracked;
	}

	/** Stops scheduling; resolves when runs under way have finished. */
	async close(): Promise<void> {
		this.closed = true;
		if (this.timer) clearTimeout(this.timer);
		await Promise.allSettled([...this.running.values()]);
	}
}
