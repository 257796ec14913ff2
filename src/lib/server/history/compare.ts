import { encodeBase64 } from '@oslojs/encoding';
import * as Y from 'yjs';
import { loadPlanLog } from '$db/plan-history';
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

export async function buildComparison(planId: string, fromSeq: number, toSeq: number, owners: Map<number, string>): Promise<Comparison> {
	const log = await loadPlanLog(db(), planId, 1, toSeq);
	const doc = new Y.Doc({ gc: false });
	const earlier = log.filter((row) => row.seq <= fromSeq);
	const between = log.filter((row) => row.seq > fromSeq);
	doc.transact(() => {
		for (const row of earlier) Y.applyUpdate(doc, row.update);
	});
	const fromSnapshot = Y.snapshot(doc);
	const deletions: Comparison['deletions'] = [];
	const people = new Set<string>();
	doc.transact(() => {
		for (const row of between) {
			Y.applyUpdate(doc, row.update);
			people.add(row.userId);
			for (const [client, ranges] of Y.decodeUpdate(row.update).ds.clients) {
				for (const range of ranges) deletions.push([client, range.clock, range.len, row.userId]);
			}
		}
	});
	const toSnapshot = Y.snapshot(doc);
	// Restored words are credited to their writers: they appear in the legend too.
	for (const [client, clock] of toSnapshot.sv) {
		const owner = owners.get(client);
		if (owner && clock > (fromSnapshot.sv.get(client) ?? 0)) people.add(owner);
	}
	const authors = await loadAuthors([...people, ...owners.values()]);
	const writers: Comparison['writers'] = [...owners].filter(([, person]) => authors.has(person));
	return {
		fromSeq,
		toSeq,
		history: encodeBase64(Y.encodeStateAsUpdate(doc)),
		fromSnapshot: encodeBase64(Y.encodeSnapshot(fromSnapshot)),
		toSnapshot: encodeBase64(Y.encodeSnapshot(toSnapshot)),
		writers,
		deletions,
		people: [...people].map((id) => authors.get(id) ?? unknownAuthor(id))
	};
}
