import type * as Y from 'yjs';
import { loadPlanClients, loadPlanState } from '$db/plan-log';
import { loadPlanStateAt } from '$db/plan-history';
import { docFromStored } from '$lib/shared/plan-content';
import { db } from '../db';

/** The plan as it is now (everything committed), with the last seq it contains. */
export async function loadCurrentPlanDoc(planId: string): Promise<{ doc: Y.Doc; seq: number }> {
	const stored = await loadPlanState(db(), planId);
	return { doc: docFromStored(stored.checkpoint, stored.tail), seq: stored.lastSeq };
}

/** The plan as it was right after change `seq`. */
export async function loadPlanDocAt(planId: string, seq: number): Promise<Y.Doc> {
	const stored = await loadPlanStateAt(db(), planId, seq);
	return docFromStored(stored.checkpoint, stored.tail);
}

/** Who each Yjs client id of the plan belongs to. */
export function loadClientOwners(planId: string): Promise<Map<number, string>> {
	return loadPlanClients(db(), planId);
}
