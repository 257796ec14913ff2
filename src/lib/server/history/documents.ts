import type * as Y from 'yjs';
import * as documents from '$commands/plan-documents';
import type { PlanAuthorship } from '$lib/shared/authorship';
import { countStoredAuthorship, sameStoredContent } from '$lib/shared/plan-replays';
import { runWork } from '$lib/shared/work-pool';
import { db } from '../db';

// Pages read a plan's document through here; the reading itself is shared with the commands
// (server/commands/plan-documents.ts), and replaying what it returns runs in a worker thread.

export type { HistoryPoint } from '$commands/plan-documents';

/** The point right after change `seq` of the plan, or null when the plan has no such change. */
export function findHistoryPoint(planId: string, seq: number): Promise<documents.HistoryPoint | null> {
	return documents.findHistoryPoint(db(), planId, seq);
}

/** The plan as it was right after change `seq`, as one Yjs update. */
export function planStateAt(planId: string, seq: number): Promise<Uint8Array> {
	return documents.planStateAt(db(), planId, seq);
}

/** The plan as it was right after change `seq` (rebuilt from one merged update). */
export function loadPlanDocAt(planId: string, seq: number): Promise<Y.Doc> {
	return documents.loadPlanDocAt(db(), planId, seq);
}

/** Who wrote each character of the plan now, by Yjs client id. */
export async function countCurrentAuthorship(planId: string): Promise<PlanAuthorship> {
	return runWork(countStoredAuthorship, { updates: (await documents.storedNow(db(), planId)).updates });
}

/** Whether the plan's words, goals or steps now differ from how they were right after change `seq`. */
export async function changedSince(planId: string, seq: number): Promise<boolean> {
	const now = await documents.storedNow(db(), planId);
	if (now.seq === seq) return false;
	return !(await runWork(sameStoredContent, { a: now.updates, b: await documents.storedAt(db(), planId, seq) }));
}

/** Who each Yjs client id of the plan belongs to. */
export function loadClientOwners(planId: string): Promise<Map<number, string>> {
	return documents.loadClientOwners(db(), planId);
}
