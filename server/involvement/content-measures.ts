import * as Y from 'yjs';
import type { SectionInvolvement } from '../../db/schema/index.ts';
import { countAuthorship, type CharsByClient } from '../../src/lib/shared/authorship.ts';
import { unpackUpdates, type PackedUpdates } from '../../src/lib/shared/packed-updates.ts';
import { planContent } from '../../src/lib/shared/plan-content.ts';
import { docFromPacked } from '../../src/lib/shared/plan-replays.ts';
import { defineWorkTask } from '../../src/lib/shared/work-pool.ts';

/** Characters of a plan: all of them, and the service user's. */
export interface Totals {
	total: number;
	serviceUser: number;
}

/** Characters by the service user and by everyone else, per section and `goals`; goals in the person's own words. */
export interface ContentFigures {
	sections: Record<string, SectionInvolvement>;
	goals: number;
	ownWordsGoals: number;
}

/** All characters of a plan and the service user's, from its figures per section. */
export function totalOf(figures: ContentFigures): Totals {
	let total = 0;
	let serviceUser = 0;
	for (const section of Object.values(figures.sections)) {
		total += section.total;
		serviceUser += section.serviceUser;
	}
	return { total, serviceUser };
}

function measureContent(doc: Y.Doc, owners: Map<number, string>, serviceUserId: string): ContentFigures {
	const split = (byClient: CharsByClient): SectionInvolvement => {
		let total = 0;
		let serviceUser = 0;
		for (const [client, chars] of byClient) {
			total += chars;
			if (owners.get(client) === serviceUserId) serviceUser += chars;
		}
		return { total, serviceUser, professional: total - serviceUser };
	};
	const counted = countAuthorship(doc);
	const sections: Record<string, SectionInvolvement> = {};
	for (const section of counted.sections) sections[section.id] = split(section.byClient);
	sections.goals = split(counted.allGoals.byClient);
	const goalShares = counted.goals.map((goal) => split(goal.byClient));
	return {
		sections,
		goals: goalShares.length,
		ownWordsGoals: goalShares.filter((goal) => goal.total > 0 && goal.serviceUser * 2 >= goal.total).length
	};
}

/** What the involvement measures need from a replay of a plan; server/involvement/measure.ts reads and stores the rest. */
export interface ContentReplay {
	/** The whole log when some past month needs figures (with `at`), otherwise the latest checkpoint and the log after it. */
	updates: PackedUpdates;
	/** When each change of the whole log was made (ms since 1970), or null for a checkpoint and its tail. */
	at: Float64Array | null;
	/** With the whole log: the past months it is replayed through, oldest first, each with its end (ms) and whether it needs figures. */
	months: { month: string; end: number; missing: boolean }[];
	/** Yjs client id → person, for the plan. */
	owners: [number, string][];
	serviceUserId: string;
	/** The plan at the version the service user agreed to, when that version is not the plan now. */
	agreedVersion: PackedUpdates | null;
}

export interface ContentMeasures {
	/** The plan now. */
	content: ContentFigures;
	/** Totals at the end of each past month that needed them. */
	monthEnds: [string, Totals][];
	/** Whether the plan now has the agreed version's content (null: no such version was given). */
	agreedVersionMatches: boolean | null;
}

/** Replays a plan (month by month when asked) and counts who wrote what: the CPU-heavy part of measuring involvement. */
export const measureContentReplay = defineWorkTask('measureContentReplay', (replay: ContentReplay): ContentMeasures => {
	const owners = new Map(replay.owners);
	const monthEnds: [string, Totals][] = [];
	let doc: Y.Doc;
	if (replay.at) {
		const log = unpackUpdates(replay.updates);
		const at = replay.at;
		doc = new Y.Doc();
		let next = 0;
		for (const { month, end, missing } of replay.months) {
			doc.transact(() => {
				for (; next < log.length && at[next]! < end; next++) Y.applyUpdate(doc, log[next]!);
			});
			if (missing) monthEnds.push([month, totalOf(measureContent(doc, owners, replay.serviceUserId))]);
		}
		doc.transact(() => {
			for (; next < log.length; next++) Y.applyUpdate(doc, log[next]!);
		});
	} else {
		doc = docFromPacked(replay.updates);
	}
	const content = measureContent(doc, owners, replay.serviceUserId);
	let agreedVersionMatches: boolean | null = null;
	if (replay.agreedVersion) {
		const versionDoc = docFromPacked(replay.agreedVersion);
		agreedVersionMatches = planContent(versionDoc) === planContent(doc);
		versionDoc.destroy();
	}
	doc.destroy();
	return { content, monthEnds, agreedVersionMatches };
});
