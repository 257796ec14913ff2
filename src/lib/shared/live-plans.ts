import type * as Y from 'yjs';
import type { PlanNotice } from './plan-notices.ts';

/**
 * Builds a change the server makes on someone's behalf (a restore) on a draft copy of the plan. `writeAs(personId)`
 * makes what follows written under a fresh client id bound to that person, so restored words keep their writer.
 */
export type ServerChangeBuilder = (draft: Y.Doc, writeAs: (personId: string) => void) => void;

/**
 * What pages need from the collaboration server of their process: every change to a plan's document goes through
 * the plan's one live room, so the log keeps one writer per plan.
 */
export interface LivePlans {
	/**
	 * Applies a change as `madeBy`, broadcasts it to everyone in the plan; resolves with its committed seq.
	 * `restoredFrom`: the change brings back the version at that seq (the history shows it as a restore).
	 */
	changePlan(planId: string, madeBy: string, build: ServerChangeBuilder, restoredFrom?: number): Promise<number>;
	/** The seq of the last committed change, after every change already applied is stored. */
	committedSeq(planId: string): Promise<number>;
	/** An appointment of the plan started or ended: changes from now on are `joint` while one runs. */
	appointmentChanged(planId: string): Promise<void>;
	/**
	 * Tells everyone who has the plan open, live (a notice on their page). Sent as is, in order with the plan's
	 * changes already broadcast; nobody who opens the plan later gets it.
	 */
	announce(planId: string, notice: PlanNotice): void;
	/** Versions or sign-offs of the plan changed: its involvement measures are updated soon. */
	involvementChanged(planId: string): void;
	/** Brings the involvement measures of these plans up to date (before showing them). */
	refreshInvolvement(planIds: string[]): Promise<void>;
}

// The Node server and the SvelteKit bundle load separate copies of this module: share through a global symbol.
const LIVE_PLANS_KEY = Symbol.for('chorus.live-plans');
type WithLivePlans = typeof globalThis & { [LIVE_PLANS_KEY]?: LivePlans };

export function registerLivePlans(livePlans: LivePlans | undefined): void {
	(globalThis as WithLivePlans)[LIVE_PLANS_KEY] = livePlans;
}

/** The process's collaboration server; throws when it is not running (pages that change plans need it). */
export function getLivePlans(): LivePlans {
	const livePlans = (globalThis as WithLivePlans)[LIVE_PLANS_KEY];
	if (!livePlans) throw new Error('The collaboration server is not running in this process.');
	return livePlans;
}
