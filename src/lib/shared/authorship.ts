import * as Y from 'yjs';
import { CHIME_DOMAINS, GOALS_FIELD, PLAN_SECTIONS, sectionField, type ChimeDomain } from './plan-sections.ts';

/** Characters of the current text per Yjs client id. */
export type CharsByClient = Map<number, number>;

export interface TextAuthorship {
	id: string;
	total: number;
	byClient: CharsByClient;
}

export interface GoalAuthorship extends TextAuthorship {
	domain: ChimeDomain | null;
}

/** Who wrote the current text of a plan, by Yjs client id: per section, per goal (words and steps). */
export interface PlanAuthorship {
	sections: TextAuthorship[];
	goals: GoalAuthorship[];
	/** The words of every goal and step together, as `goals`. */
	allGoals: TextAuthorship;
}

/**
 * Visits every live character run under a type (rich text, plain text, maps and arrays of them) in document
 * order. Deleted text is skipped: authorship is about the words the plan has now. Iterative, so no nesting
 * can exhaust the stack.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any Yjs type
export function visitLiveText(type: Y.AbstractType<any>, visit: (item: Y.Item) => void): void {
	// Each entry: the next item of a type's list still to visit, and the map entries still to visit after it.
	const stack: { next: Y.Item | null; mapped: Y.Item[] }[] = [{ next: type._start, mapped: [...type._map.values()] }];
	while (stack.length > 0) {
		const top = stack.at(-1)!;
		const item = top.next ?? top.mapped.shift() ?? null;
		if (!item) {
			stack.pop();
			continue;
		}
		if (top.next) top.next = item.right;
		if (item.deleted) continue;
		if (item.content instanceof Y.ContentString && item.parentSub === null) visit(item);
		else if (item.content instanceof Y.ContentType) {
			const inner = item.content.type;
			stack.push({ next: inner._start, mapped: [...inner._map.values()] });
		}
	}
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any Yjs type
function countType(id: string, type: Y.AbstractType<any>): TextAuthorship {
	const byClient: CharsByClient = new Map();
	let total = 0;
	visitLiveText(type, (item) => {
		byClient.set(item.id.client, (byClient.get(item.id.client) ?? 0) + item.length);
		total += item.length;
	});
	return { id, total, byClient };
}

/** Counts, for each section and goal, how many characters of the current text each client id wrote. */
export function countAuthorship(doc: Y.Doc): PlanAuthorship {
	const sections = PLAN_SECTIONS.map((section) => countType(section.id, doc.getXmlFragment(sectionField(section.id))));
	const goals: GoalAuthorship[] = [];
	for (const goal of doc.getArray<Y.Map<unknown>>(GOALS_FIELD).toArray()) {
		if (!(goal instanceof Y.Map)) continue;
		const id = goal.get('id');
		const domain = goal.get('domain');
		goals.push({
			...countType(typeof id === 'string' ? id : '', goal),
			domain: CHIME_DOMAINS.includes(domain as ChimeDomain) ? (domain as ChimeDomain) : null
		});
	}
	const allGoals: TextAuthorship = { id: 'goals', total: 0, byClient: new Map() };
	for (const goal of goals) {
		allGoals.total += goal.total;
		for (const [client, chars] of goal.byClient) allGoals.byClient.set(client, (allGoals.byClient.get(client) ?? 0) + chars);
	}
	return { sections, goals, allGoals };
}

/** Adds up characters per person, given who each client id belongs to. */
export function charsByPerson(byClient: CharsByClient, ownerOf: (clientId: number) => string | undefined): Map<string, number> {
	const byPerson = new Map<string, number>();
	for (const [clientId, chars] of byClient) {
		const person = ownerOf(clientId) ?? 'unknown';
		byPerson.set(person, (byPerson.get(person) ?? 0) + chars);
	}
	return byPerson;
}
