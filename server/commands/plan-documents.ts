import * as Y from 'yjs';
import { findPlanUpdate, loadPlanStateAt } from '../../db/plan-history.ts';
import { loadPlanClients, loadPlanState } from '../../db/plan-log.ts';
import type { Database } from '../../db/types.ts';
import { packStoredState, type PackedUpdates } from '../../src/lib/shared/packed-updates.ts';
import { mergeStoredUpdates, storedPlanOutline } from '../../src/lib/shared/plan-replays.ts';
import { planAsText } from '../../src/lib/shared/plan-text.ts';
import { runWork } from '../../src/lib/shared/work-pool.ts';

// What the plan commands read of a plan's document (pages read the same through src/lib/server/history/documents.ts).
// The database is read here; replaying what it returns runs in a worker thread (src/lib/shared/plan-replays.ts).

/** A point in a plan's history: the plan right after change `seq` (0: before anyone wrote). */
export interface HistoryPoint {
	seq: number;
	at: Date | null;
	userId: string | null;
}

/** The point right after change `seq` of the plan, or null when the plan has no such change. */
export async function findHistoryPoint(db: Database, planId: string, seq: number): Promise<HistoryPoint | null> {
	if (seq === 0) return { seq, at: null, userId: null };
	const change = await findPlanUpdate(db, planId, seq);
	return change ? { seq, at: change.at, userId: change.userId } : null;
}

/** The plan's stored parts now (everything committed), packed, with the last seq they contain. */
export async function storedNow(db: Database, planId: string): Promise<{ updates: PackedUpdates; seq: number }> {
	const stored = await loadPlanState(db, planId);
	return { updates: packStoredState(stored.checkpoint, stored.tail), seq: stored.lastSeq };
}

/** The plan's stored parts up to change `seq`, packed. */
export async function storedAt(db: Database, planId: string, seq: number): Promise<PackedUpdates> {
	const stored = await loadPlanStateAt(db, planId, seq);
	return packStoredState(stored.checkpoint, stored.tail);
}

/** The plan as it was right after change `seq`, as one Yjs update. */
export async function planStateAt(db: Database, planId: string, seq: number): Promise<Uint8Array> {
	return runWork(mergeStoredUpdates, { updates: await storedAt(db, planId, seq) });
}

/** The plan as it was right after change `seq` (rebuilt from one merged update); the caller destroys it. */
export async function loadPlanDocAt(db: Database, planId: string, seq: number): Promise<Y.Doc> {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, await planStateAt(db, planId, seq));
	return doc;
}

/** The plain-text copy of the plan as it is now. */
export async function currentPlanText(db: Database, planId: string, heading: { title: string; person: string; printedAt: string }): Promise<string> {
	// Replayed in a worker thread; the words are chosen here, in the language of the one asking for the copy.
	return planAsText(await runWork(storedPlanOutline, { updates: (await storedNow(db, planId)).updates }), heading);
}

/** Who each Yjs client id of the plan belongs to. */
export function loadClientOwners(db: Database, planId: string): Promise<Map<number, string>> {
	return loadPlanClients(db, planId);
}
