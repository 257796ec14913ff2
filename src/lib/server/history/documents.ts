import * as Y from 'yjs';
import { loadPlanClients, loadPlanState } from '$db/plan-log';
import { loadPlanStateAt } from '$db/plan-history';
import type { PlanAuthorship } from '$lib/shared/authorship';
import { packStoredState, type PackedUpdates } from '$lib/shared/packed-updates';
import { countStoredAuthorship, mergeStoredUpdates, sameStoredContent, storedPlanText } from '$lib/shared/plan-replays';
import { runWork } from '$lib/shared/work-pool';
import { db } from '../db';

// The database is read here; replaying what it returns runs in a worker thread (src/lib/shared/plan-replays.ts).

/** The plan's stored parts now (everything committed), packed, with the last seq they contain. */
async function storedNow(planId: string): Promise<{ updates: PackedUpdates; seq: number }> {
	const stored = await loadPlanState(db(), planId);
	return { updates: packStoredState(stored.checkpoint, stored.tail), seq: stored.lastSeq };
}

/** The plan's stored parts up to change `seq`, packed. */
async function storedAt(planId: string, seq: number): Promise<PackedUpdates> {
	const stored = await loadPlanStateAt(db(), planId, seq);
	return packStoredState(stored.checkpoint, stored.tail);
}

/** The plan as it was right after change `seq`, as one Yjs update. */
export async function planStateAt(planId: string, seq: number): Promise<Uint8Array> {
	return runWork(mergeStoredUpdates, { updates: await storedAt(planId, seq) });
}

/** The plan as it was right after change `seq` (rebuilt from one merged update). */
export async function loadPlanDocAt(planId: string, seq: number): Promise<Y.Doc> {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, await planStateAt(planId, seq));
	return doc;
}

/** Who wrote each character of the plan now, by Yjs client id. */
export async function countCurrentAuthorship(planId: string): Promise<PlanAuthorship> {
	return runWork(countStoredAuthorship, { updates: (await storedNow(planId)).updates });
}

/** The plain-text copy of the plan as it is now. */
export async function currentPlanText(planId: string, heading: { title: string; person: string; printedAt: string }): Promise<string> {
	return runWork(storedPlanText, { updates: (await storedNow(planId)).updates, heading });
}

/** Whether the plan's words, goals or steps now differ from how they were right after change `seq`. */
export async function changedSince(planId: string, seq: number): Promise<boolean> {
	const now = await storedNow(planId);
	if (now.seq === seq) return false;
	return !(await runWork(sameStoredContent, { a: now.updates, b: await storedAt(planId, seq) }));
}

/** Who each Yjs client id of the plan belongs to. */
export function loadClientOwners(planId: string): Promise<Map<number, string>> {
	return loadPlanClients(db(), planId);
}
