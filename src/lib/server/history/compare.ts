import { loadPlanLog } from '$db/plan-history';
import { packUpdates } from '$lib/shared/packed-updates';
import { compareStoredVersions } from '$lib/shared/plan-replays';
import { runWork } from '$lib/shared/work-pool';
import { db } from '../db';
import { loadAuthors, unknownAuthor, type Author } from './people';

/**
 * Everything the browser needs to show two versions side by side with y-tiptap's snapshot rendering: the plan's
 * full history up to the later version (deleted words included), a snapshot of each version, and who wrote and
 * who deleted each piece, from our own log (never from anything a browser asserted).
 */
export interface Comparison {
	fromSeq: number;
	toSeq: number;
	/** A Yjs update (base64) with every change up to `toSeq`, deleted content kept. */
	history: string;
	fromSnapshot: string;
	toSnapshot: string;
	/** [client id, person id]: who wrote the words of each client id. */
	writers: [number, string][];
	/** [client id, clock, length, person id]: who deleted which items between the versions. */
	deletions: [number, number, number, string][];
	/** The people whose changes appear, for the legend. */
	people: Author[];
}

/** Compares the plan right after `fromSeq` with the plan right after `toSeq` (the replay runs in a worker thread). */
export async function buildComparison(planId: string, fromSeq: number, toSeq: number, owners: Map<number, string>): Promise<Comparison> {
	const log = await loadPlanLog(db(), planId, 1, toSeq);
	const compared = await runWork(compareStoredVersions, {
		log: { updates: packUpdates(log.map((row) => row.update)), seqs: Uint32Array.from(log, (row) => row.seq), userIds: log.map((row) => row.userId) },
		fromSeq,
		owners: [...owners]
	});
	const authors = await loadAuthors([...compared.people, ...owners.values()]);
	const writers: Comparison['writers'] = [...owners].filter(([, person]) => authors.has(person));
	return {
		fromSeq,
		toSeq,
		history: compared.history,
		fromSnapshot: compared.fromSnapshot,
		toSnapshot: compared.toSnapshot,
		writers,
		deletions: compared.deletions,
		people: compared.people.map((id) => authors.get(id) ?? unknownAuthor(id))
	};
}
