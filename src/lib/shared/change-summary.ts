import * as Y from 'yjs';
import { isStorableText, PLAN_ROOTS } from './plan-format.ts';
import { GOALS_FIELD } from './plan-sections.ts';

/**
 * What one committed change did to a plan, in the plan's own terms: characters added and removed per section
 * (goal words count under `goals`), and which goals were added, changed or removed. Computed once, when the
 * change is applied on the server, and stored with the change in the log, so history never re-reads the
 * document to answer "what changed".
 */
export interface ChangeSummary {
	/** Section id (`about`, …, `crisis`, `goals`) → [characters added, characters removed]. */
	sections: Record<string, [number, number]>;
	goals: { added: string[]; changed: string[]; removed: string[] };
	/** Set on a restore: the seq of the version brought back. */
	restoredFrom?: number;
}

const SUMMARY = 'chorus:summary';

export function emptySummary(): ChangeSummary {
	return { sections: {}, goals: { added: [], changed: [], removed: [] } };
}

/**
 * Summarises every transaction of `doc` just before deleted content is garbage-collected (afterwards deleted
 * words cannot be told from other deleted content). Read the result in an 'update' handler with `summaryOf`.
 */
export function summariseChanges(doc: Y.Doc, skip: (origin: unknown) => boolean = () => false): void {
	doc.on('beforeObserverCalls', (transaction: Y.Transaction) => {
		if (!skip(transaction.origin)) transaction.meta.set(SUMMARY, summariseTransaction(transaction));
	});
}

/** The summary `summariseChanges` attached to a transaction. */
export function summaryOf(transaction: Y.Transaction | undefined): ChangeSummary {
	return (transaction?.meta.get(SUMMARY) as ChangeSummary | undefined) ?? emptySummary();
}

interface Place {
	section: string;
	/** The goal's top-level item when the content is in a goal. */
	goal: Y.Item | null;
}

/** Where in the plan an item lives: its section, and the goal it belongs to. */
function placeOf(item: Y.Item): Place | null {
	let child = item;
	let parent = item.parent;
	while (parent instanceof Y.AbstractType && parent._item !== null) {
		child = parent._item;
		parent = child.parent;
	}
	if (!(parent instanceof Y.AbstractType)) return null;
	const root = Y.findRootTypeKey(parent);
	// Only the plan format's own parts are counted (the server refuses others; a name such as `__proto__` must
	// never become a key here).
	if (!PLAN_ROOTS.has(root)) return null;
	if (root === GOALS_FIELD) return { section: 'goals', goal: child };
	return { section: root.slice('section:'.length), goal: null };
}

/** A goal's id, read even when the goal was just deleted (its fields are deleted too, but not yet collected). */
function goalId(goal: Y.Item): string | null {
	if (!(goal.content instanceof Y.ContentType)) return null;
	const idItem = (goal.content.type as Y.Map<unknown>)._map.get('id');
	const value = idItem?.content.getContent()[0];
	return typeof value === 'string' && isStorableText(value, 64) ? value : null;
}

const isText = (item: Y.Item): boolean => item.content instanceof Y.ContentString && item.parentSub === null;

/** Summarises one transaction from its new structs and its delete set. */
export function summariseTransaction(transaction: Y.Transaction): ChangeSummary {
	const sections = new Map<string, [number, number]>();
	const added = new Set<string>();
	const changed = new Set<string>();
	const removed = new Set<string>();
	const count = (section: string, index: 0 | 1, length: number) => {
		let entry = sections.get(section);
		if (!entry) sections.set(section, (entry = [0, 0]));
		entry[index] += length;
	};
	const visit = (item: Y.Item, kind: 'added' | 'removed') => {
		const place = placeOf(item);
		if (!place) return;
		if (isText(item)) count(place.section, kind === 'added' ? 0 : 1, item.length);
		if (!place.goal) return;
		const id = goalId(place.goal);
		if (id === null) return;
		if (place.goal === item) (kind === 'added' ? added : removed).add(id);
		else changed.add(id);
	};

	const store = transaction.doc.store;
	for (const [client, after] of transaction.afterState) {
		const before = transaction.beforeState.get(client) ?? 0;
		if (after <= before) continue;
		const structs = store.clients.get(client);
		if (!structs) continue;
		for (let index = Y.findIndexSS(structs, before); index < structs.length && structs[index]!.id.clock < after; index++) {
			const struct = structs[index];
			if (struct instanceof Y.Item) visit(struct, 'added');
		}
	}
	Y.iterateDeletedStructs(transaction, transaction.deleteSet, (struct) => {
		if (struct instanceof Y.Item) visit(struct, 'removed');
	});
	// A goal removed and added again in one change was replaced by a copy of itself (a restore writes a goal that
	// differs from the version again): it is the same goal, changed, not a goal lost and another one gained.
	for (const id of added) {
		if (!removed.has(id)) continue;
		added.delete(id);
		removed.delete(id);
		changed.add(id);
	}
	return {
		sections: Object.fromEntries(sections),
		goals: {
			added: [...added],
			changed: [...changed].filter((id) => !added.has(id) && !removed.has(id)),
			removed: [...removed]
		}
	};
}
