import { findStaleInvolvements, listAllPlanIds, listMeasuredPlans } from '../../db/involvement.ts';
import { logError } from '../../db/errors.ts';
import type { Database } from '../../db/types.ts';
import { measurePlanInvolvement } from './measure.ts';

/**
 * Keeps every plan's involvement measures current: a plan is re-measured once changes to it pause (one run per plan
 * at a time), and on demand before figures are shown.
 */
export class InvolvementTracker {
	/** Plans waiting to be re-measured: the timer, and when the first change not yet measured came. */
	private readonly waiting = new Map<string, { timer: NodeJS.Timeout; since: number }>();
	private readonly running = new Map<string, Promise<void>>();
	private closed = false;
	private sweepTimer: NodeJS.Timeout | null = null;
	/** Every plan was brought up to date after start-up: from then on, changes mark their plans. */
	private sweepDone = false;
	/** While the start-up sweep runs: plans measured since it began (by a first look, say), which it need not measure again. */
	private measuredDuringSweep: Set<string> | null = null;

	/**
	 * @param quietMs re-measure once a plan has had no new change for this long (people typing are not slowed down)
	 * @param maxWaitMs but at least this often while changes keep coming
	 */
	constructor(
		private readonly db: Database,
		private readonly quietMs = 5_000,
		private readonly maxWaitMs = 60_000
	) {}

	/** Something about the plan changed: re-measure it once things are quiet. */
	markChanged(planId: string): void {
		if (this.closed) return;
		const waiting = this.waiting.get(planId);
		const since = waiting?.since ?? Date.now();
		if (waiting) clearTimeout(waiting.timer);
		const delay = Math.max(0, Math.min(this.quietMs, since + this.maxWaitMs - Date.now()));
		const timer = setTimeout(() => {
			this.waiting.delete(planId);
			void this.measure(planId).catch((error: unknown) => logError(`could not update involvement measures of plan ${planId}`, error));
		}, delay);
		timer.unref();
		this.waiting.set(planId, { timer, since });
	}

	/** Re-measures these plans now (each after any run already under way for it). */
	async refresh(planIds: string[]): Promise<void> {
		for (const planId of planIds) await this.measure(planId);
	}

	/**
	 * Re-measures whichever of these plans have figures older than their log, versions or sign-offs. Once the start-up
	 * sweep is done, every change goes through this process and marks its plan, so only those (and plans never
	 * measured) are re-measured, without asking the database which are stale.
	 */
	async refreshStale(planIds: string[]): Promise<void> {
		if (!this.sweepDone) {
			await this.refresh(await findStaleInvolvements(this.db, planIds));
			return;
		}
		const measured = await listMeasuredPlans(this.db, planIds);
		const due = planIds.filter((planId) => !measured.has(planId) || this.waiting.has(planId) || this.running.has(planId));
		for (const planId of due) {
			const waiting = this.waiting.get(planId);
			if (waiting) clearTimeout(waiting.timer);
			this.waiting.delete(planId);
		}
		await this.refresh(due);
	}

	/**
	 * After start-up: brings every plan's figures up to date in the background, one plan at a time with pauses, so it
	 * never holds up people reconnecting and resending their changes after a restart. Says when it is done (a count,
	 * nothing of any plan), which is also what tests wait for.
	 */
	sweep(delayMs = 10_000): void {
		const timer = setTimeout(() => {
			void (async () => {
				this.measuredDuringSweep = new Set();
				const stale = await findStaleInvolvements(this.db, await listAllPlanIds(this.db));
				let measured = 0;
				for (const planId of stale) {
					if (this.closed) return;
					if (this.measuredDuringSweep.has(planId)) continue;
					await this.measure(planId);
					measured += 1;
					await new Promise((resolve) => setTimeout(resolve, 25));
				}
				this.sweepDone = true;
				this.measuredDuringSweep = null;
				console.log(`[chorus] Involvement: start-up measurement finished (${measured} ${measured === 1 ? 'plan' : 'plans'} measured)`);
			})().catch((error: unknown) => {
				if (!this.closed) logError('could not bring involvement measures up to date', error);
			});
		}, delayMs);
		timer.unref();
		this.sweepTimer = timer;
	}

	private measure(planId: string): Promise<void> {
		const previous = this.running.get(planId) ?? Promise.resolve();
		const run = previous.then(async () => {
			if (this.closed) return;
			await measurePlanInvolvement(this.db, planId);
			this.measuredDuringSweep?.add(planId);
		});
		const tracked = run.finally(() => {
			if (this.running.get(planId) === tracked) this.running.delete(planId);
		});
		this.running.set(planId, tracked);
		return tracked;
	}

	/** Stops scheduling; resolves when runs under way have finished. */
	async close(): Promise<void> {
		this.closed = true;
		if (this.sweepTimer) clearTimeout(this.sweepTimer);
		for (const { timer } of this.waiting.values()) clearTimeout(timer);
		this.waiting.clear();
		await Promise.allSettled([...this.running.values()]);
	}
}
