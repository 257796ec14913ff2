import { encodeBase64 } from '@oslojs/encoding';
import * as Y from 'yjs';
import { countAuthorship, visitLiveText, type PlanAuthorship } from './authorship.ts';
import { unpackUpdates, type PackedUpdates } from './packed-updates.ts';
import { docFromStored, planContent } from './plan-content.ts';
import { GOALS_FIELD } from './plan-sections.ts';
import { outlinePlan, type PlanOutline } from './plan-text.ts';
import { defineWorkTask } from './work-pool.ts';

// Replays of a plan's stored updates, the CPU-heavy part of its history pages: each runs in a worker thread when
// the server has a pool (see work-pool.ts). Input: the stored parts, packed in the order they apply.

/** A plan's document from its packed stored parts, replayed in one transaction. */
export function docFromPacked(updates: PackedUpdates): Y.Doc {
	return docFromStored(null, unpackUpdates(updates));
}

/** The plan after its stored parts as one update: what applying all of them gives, merged and compacted. */
export const mergeStoredUpdates = defineWorkTask('mergeStoredUpdates', ({ updates }: { updates: PackedUpdates }): Uint8Array => {
	const doc = docFromPacked(updates);
	const state = Y.encodeStateAsUpdate(doc);
	doc.destroy();
	return state;
});

/** Who wrote each character of the plan, by Yjs client id. */
export const countStoredAuthorship = defineWorkTask('countStoredAuthorship', ({ updates }: { updates: PackedUpdates }): PlanAuthorship => {
	const doc = docFromPacked(updates);
	const counted = countAuthorship(doc);
	doc.destroy();
	return counted;
});

/** Whether two stored states of a plan have the same sections, goals and steps (whoever wrote them). */
export const sameStoredContent = defineWorkTask('sameStoredContent', ({ a, b }: { a: PackedUpdates; b: PackedUpdates }): boolean => {
	const first = docFromPacked(a);
	const second = docFromPacked(b);
	const same = planContent(first) === planContent(second);
	first.destroy();
	second.destroy();
	return same;
});

/** A plan's content for the copies that travel (PDF, FHIR): the outline, and who wrote each goal's own words. */
export interface PlanContentForExport {
	outline: PlanOutline;
	/** Per goal id: [Yjs client id, characters of the goal's current words] (its steps not counted). */
	goalWriters: Record<string, [number, number][]>;
}

/** The outline of the plan and, per goal, how many characters of its words each client id wrote. */
export const storedPlanForExport = defineWorkTask('storedPlanForExport', ({ updates }: { updates: PackedUpdates }): PlanContentForExport => {
	const doc = docFromPacked(updates);
	const goalWriters: Record<string, [number, number][]> = {};
	for (const goal of doc.getArray<unknown>(GOALS_FIELD).toArray()) {
		const id = goal instanceof Y.Map ? goal.get('id') : null;
		const words = goal instanceof Y.Map ? goal.get('text') : null;
		if (typeof id !== 'string' || !(words instanceof Y.Text)) continue;
		const byClient = new Map<number, number>();
		visitLiveText(words, (item) => byClient.set(item.id.client, (byClient.get(item.id.client) ?? 0) + item.length));
		goalWriters[id] = [...byClient];
	}
	const content = { outline: outlinePlan(doc), goalWriters };
	doc.destroy();
	return content;
});

/** What the plain-text copy of the plan (the download) says, before it is put in the reader's words. */
export const storedPlanOutline = defineWorkTask('storedPlanOutline', ({ updates }: { updates: PackedUpdates }): PlanOutline => {
	const doc = docFromPacked(updates);
	const outline = outlinePlan(doc);
	doc.destroy();
	return outline;
});

/** A plan's log from its first change up to the later version being compared: each change with its seq and its person. */
export interface ComparedLog {
	updates: PackedUpdates;
	seqs: Uint32Array;
	userIds: string[];
}

/** What a comparison of two versions computes from the log; src/lib/server/history/compare.ts adds names. */
export interface ComparedVersions {
	/** A Yjs update (base64) with every change up to the later version, deleted content kept. */
	history: string;
	fromSnapshot: string;
	toSnapshot: string;
	/** [client id, clock, length, person id]: who deleted which items between the versions. */
	deletions: [number, number, number, string][];
	/** Whose changes appear between the versions: the people who made them, and the writers of restored words. */
	people: string[];
}

/** Replays the log with deleted content kept, and snapshots both versions (y-tiptap renders the difference). */
export const compareStoredVersions = defineWorkTask(
	'compareStoredVersions',
	({ log, fromSeq, owners }: { log: ComparedLog; fromSeq: number; owners: [number, string][] }): ComparedVersions => {
		const updates = unpackUpdates(log.updates);
		const doc = new Y.Doc({ gc: false });
		let next = 0;
		doc.transact(() => {
			for (; next < updates.length && log.seqs[next]! <= fromSeq; next++) Y.applyUpdate(doc, updates[next]!);
		});
		const fromSnapshot = Y.snapshot(doc);
		const deletions: ComparedVersions['deletions'] = [];
		const people = new Set<string>();
		doc.transact(() => {
			for (; next < updates.length; next++) {
				const update = updates[next]!;
				const userId = log.userIds[next]!;
				Y.applyUpdate(doc, update);
				people.add(userId);
				for (const [client, ranges] of Y.decodeUpdate(update).ds.clients) {
					for (const range of ranges) deletions.push([client, range.clock, range.len, userId]);
				}
			}
		});
		const toSnapshot = Y.snapshot(doc);
		// Restored words are credited to their writers: they appear in the legend too.
		const ownerOf = new Map(owners);
		for (const [client, clock] of toSnapshot.sv) {
			const owner = ownerOf.get(client);
			if (owner && clock > (fromSnapshot.sv.get(client) ?? 0)) people.add(owner);
		}
		const compared = {
			history: encodeBase64(Y.encodeStateAsUpdate(doc)),
			fromSnapshot: encodeBase64(Y.encodeSnapshot(fromSnapshot)),
			toSnapshot: encodeBase64(Y.encodeSnapshot(toSnapshot)),
			deletions,
			people: [...people]
		};
		doc.destroy();
		return compared;
	}
);
