import * as Y from 'yjs';
import {
	GOAL_FIELDS,
	GOAL_TYPES,
	isStorableText,
	LINK_HREF,
	MAX_STRUCTS_PER_CHANGE,
	MAX_TYPE_DEPTH,
	MAX_VALUE_LENGTH,
	PLAN_ROOTS,
	RICH_TEXT_ATTRIBUTES,
	RICH_TEXT_CHILDREN,
	RICH_TEXT_MARKS,
	STEP_FIELDS,
	STEP_TYPES
} from '../../src/lib/shared/plan-format.ts';

/**
 * Every document update from a socket is hostile until this says otherwise. It is checked against the live
 * document *before* it is applied, so a refused change never touches the room, the log or anyone's screen:
 * - gap: it builds on content the server does not have (Yjs would hold it back, unstored, and later store it
 *   inside someone else's change);
 * - forged: it adds content under a Yjs client id that belongs to another person;
 * - refused: it does not fit the plan format (src/lib/shared/plan-format.ts): unknown root names, elements,
 *   attributes or fields, nesting too deep, too many structs, text PostgreSQL cannot store.
 */
export type UpdateVerdict = { ok: true; newClients: number[] } | { ok: false; problem: 'gap' | 'forged' | 'refused'; reason: string };

/** Where an item lives: the kind of type it is in, and for rich-text elements their name. */
interface Place {
	kind: 'section' | 'element' | 'xmlText' | 'goals' | 'goal' | 'steps' | 'step' | 'text';
	name: string;
	depth: number;
}

/** An item's place and map key once integrated; null when Yjs would garbage-collect it (a deleted parent). */
type Position = { place: Place; key: string | null } | null;

type Struct = Y.Item | Y.GC | Y.Skip;

class Refusal extends Error {
	constructor(
		readonly problem: 'gap' | 'refused',
		readonly reason: string
	) {
		super(reason);
	}
}

const gap = (reason: string) => new Refusal('gap', reason);
const refuse = (reason: string) => new Refusal('refused', reason);

/** Places of the live document's types, computed once per type. */
const typePlaces = new WeakMap<Y.AbstractType<unknown>, Place | null>();

/**
 * Checks one update from `userId` against `doc` (throws on bytes that are not an update at all).
 * `ownerOf` says who a client id belongs to in this plan: bound by earlier content, or claimed by a connection.
 */
export function checkPlanUpdate(doc: Y.Doc, update: Uint8Array, userId: string, ownerOf: (clientId: number) => string | undefined): UpdateVerdict {
	const { structs, ds } = Y.decodeUpdate(update);
	if (structs.length > MAX_STRUCTS_PER_CHANGE) return { ok: false, problem: 'refused', reason: 'too many structs' };
	try {
		const index = new UpdateIndex(doc.store, structs);
		const newClients: number[] = [];
		for (const [clientId, list] of index.byClient) {
			const state = Y.getState(doc.store, clientId);
			if (list[0]!.id.clock > state) throw gap('starts after what the server has');
			const last = list.at(-1)!;
			if (last.id.clock + last.length <= state) continue;
			const owner = ownerOf(clientId);
			if (owner !== undefined && owner !== userId) return { ok: false, problem: 'forged', reason: 'another person’s client id' };
			newClients.push(clientId);
		}
		for (const [clientId, deletions] of ds.clients) {
			const known = Math.max(Y.getState(doc.store, clientId), index.end(clientId));
			if (deletions.some((deletion) => deletion.clock + deletion.len > known)) throw gap('deletes what the server does not have');
		}
		new UpdateChecker(doc, index).checkAll(structs);
		return { ok: true, newClients };
	} catch (error) {
		if (error instanceof Refusal) return { ok: false, problem: error.problem, reason: error.reason };
		throw error;
	}
}

/** The structs of an update by client, in clock order, with lookups by id. */
class UpdateIndex {
	readonly byClient = new Map<number, Struct[]>();

	constructor(
		private readonly store: Y.Doc['store'],
		structs: Struct[]
	) {
		let previous: Struct | null = null;
		for (const struct of structs) {
			const list = this.byClient.get(struct.id.client);
			if (!list) this.byClient.set(struct.id.client, [struct]);
			else if (previous?.id.client === struct.id.client && struct.id.clock === previous.id.clock + previous.length) list.push(struct);
			// Yjs reads only the last block of a client, and needs each block to be contiguous: anything else would
			// make this check read other structs than Yjs applies.
			else throw refuse('a client’s structs are repeated or out of order');
			previous = struct;
		}
	}

	end(clientId: number): number {
		const last = this.byClient.get(clientId)?.at(-1);
		return last ? last.id.clock + last.length : 0;
	}

	/** True when Yjs would integrate (part of) this struct: the server does not have all of it yet. */
	isNew(struct: Struct): boolean {
		return struct.id.clock + struct.length > Y.getState(this.store, struct.id.client);
	}

	/**
	 * What an id refers to: a struct of the live document ('stored'), a new struct of this update, or nothing
	 * (a gap: Yjs would keep the change pending until someone else's content arrives).
	 */
	resolve(id: Y.ID): Y.Item | Y.GC | 'stored' {
		if (id.clock < Y.getState(this.store, id.client)) return 'stored';
		const list = this.byClient.get(id.client);
		if (list) {
			let low = 0;
			let high = list.length - 1;
			while (low <= high) {
				const middle = (low + high) >> 1;
				const struct = list[middle]!;
				if (id.clock < struct.id.clock) high = middle - 1;
				else if (id.clock >= struct.id.clock + struct.length) low = middle + 1;
				else if (struct instanceof Y.Skip) break;
				else return struct;
			}
		}
		throw gap('refers to content the server does not have');
	}
}

class UpdateChecker {
	private readonly positions = new Map<Y.Item, Position>();
	/** For new items holding a type: the place of what goes inside it (null: nothing may, it is collected). */
	private readonly insides = new Map<Y.Item, Place | null>();

	constructor(
		private readonly doc: Y.Doc,
		private readonly index: UpdateIndex
	) {}

	checkAll(structs: Struct[]): void {
		for (const struct of structs) {
			if (struct instanceof Y.Item && typeof struct.parent === 'string') checkRootName(struct.parent);
		}
		const done = new Set<Struct>();
		const visiting = new Set<Struct>();
		for (const first of structs) {
			if (!this.index.isNew(first)) continue;
			if (first instanceof Y.Skip) throw gap('has a hole');
			// Depth-first over what each struct needs integrated before it (the previous struct of its client, its
			// neighbours and its parent), with an explicit stack: a long chain of typing is thousands deep.
			const stack: Struct[] = [first];
			while (stack.length > 0) {
				const struct = stack.at(-1)!;
				if (done.has(struct)) {
					stack.pop();
					continue;
				}
				if (visiting.has(struct)) {
					stack.pop();
					this.finish(struct);
					visiting.delete(struct);
					done.add(struct);
					continue;
				}
				visiting.add(struct);
				for (const dependency of this.dependencies(struct)) {
					if (visiting.has(dependency)) throw gap('depends on itself');
					if (!done.has(dependency)) stack.push(dependency);
				}
			}
		}
	}

	/** New structs of this update that `struct` needs integrated first. */
	private dependencies(struct: Struct): Struct[] {
		const needed: Struct[] = [];
		const add = (id: Y.ID | null) => {
			if (!id) return;
			// Content can only refer to what existed when it was written: never to its own client's later clocks.
			if (id.client === struct.id.client && id.clock >= struct.id.clock) {
				throw refuse('refers forward within its own client');
			}
			const target = this.index.resolve(id);
			if (target !== 'stored' && this.index.isNew(target)) needed.push(target);
		};
		if (struct.id.clock > 0) add(Y.createID(struct.id.client, struct.id.clock - 1));
		if (!(struct instanceof Y.Item)) return needed;
		add(struct.origin);
		add(struct.rightOrigin);
		if (struct.parent instanceof Y.ID) add(struct.parent);
		return needed;
	}

	/** Checks one new struct once everything it depends on is checked. */
	private finish(struct: Struct): void {
		if (!(struct instanceof Y.Item)) return;
		const position = this.positionOf(struct);
		this.positions.set(struct, position);
		if (position === null) {
			if (struct.content instanceof Y.ContentType) this.insides.set(struct, null);
			return;
		}
		const { place, key } = position;
		if (struct.content instanceof Y.ContentType) {
			this.insides.set(struct, insideOf(place, key, struct.content.type));
			return;
		}
		checkLeaf(place, key, struct.content);
	}

	/** Where Yjs will integrate an item, following its parent or, without one, its neighbours (as Yjs does). */
	private positionOf(item: Y.Item): Position {
		if (typeof item.parent === 'string') {
			return { place: rootPlace(item.parent), key: item.parentSub };
		}
		if (item.parent instanceof Y.ID) {
			const parent = this.index.resolve(item.parent);
			const inside = parent === 'stored' ? this.storedInside(item.parent) : parent instanceof Y.Item ? this.insideOfNew(parent) : null;
			return inside === null ? null : { place: inside, key: item.parentSub };
		}
		const left = item.origin ? this.index.resolve(item.origin) : null;
		const right = item.rightOrigin ? this.index.resolve(item.rightOrigin) : null;
		const leftStruct = left === 'stored' ? Y.getItem(this.doc.store, item.origin!) : left;
		const rightStruct = right === 'stored' ? Y.getItem(this.doc.store, item.rightOrigin!) : right;
		if (leftStruct instanceof Y.GC || rightStruct instanceof Y.GC) return null;
		const neighbour = leftStruct ?? rightStruct;
		if (!(neighbour instanceof Y.Item)) throw refuse('has neither a parent nor neighbours');
		if (left === 'stored' || (left === null && right === 'stored')) {
			const place = neighbour.parent instanceof Y.AbstractType ? this.placeOfType(neighbour.parent) : null;
			return place === null ? null : { place, key: neighbour.parentSub };
		}
		return this.positions.get(neighbour) ?? null;
	}

	private insideOfNew(parent: Y.Item): Place | null {
		if (parent.content instanceof Y.ContentDeleted) return null;
		if (!(parent.content instanceof Y.ContentType)) throw refuse('its parent is not a type');
		return this.insides.get(parent) ?? null;
	}

	private storedInside(id: Y.ID): Place | null {
		const parent = Y.getItem(this.doc.store, id);
		if (!(parent instanceof Y.Item) || parent.content instanceof Y.ContentDeleted) return null;
		if (!(parent.content instanceof Y.ContentType)) throw refuse('its parent is not a type');
		return this.placeOfType(parent.content.type);
	}

	/** The place of a type of the live document (content already accepted), cached per type. */
	private placeOfType(type: Y.AbstractType<unknown>): Place | null {
		const chain: Y.AbstractType<unknown>[] = [];
		let current: Y.AbstractType<unknown> | null = type;
		while (current && !typePlaces.has(current) && current._item !== null) {
			if (chain.length > MAX_TYPE_DEPTH) throw refuse('nested too deeply');
			chain.push(current);
			const parent: unknown = current._item.parent;
			current = parent instanceof Y.AbstractType ? parent : null;
		}
		let place: Place | null;
		if (!current) place = null;
		else if (typePlaces.has(current)) place = typePlaces.get(current)!;
		else place = rootPlace(Y.findRootTypeKey(current));
		if (current && !typePlaces.has(current)) typePlaces.set(current, place);
		for (let position = chain.length - 1; position >= 0; position--) {
			const child = chain[position]!;
			place = place === null ? null : insideOf(place, child._item!.parentSub, child);
			typePlaces.set(child, place);
		}
		return place;
	}
}

function checkRootName(name: string): void {
	if (!PLAN_ROOTS.has(name)) throw refuse('unknown root type');
}

function rootPlace(name: string): Place {
	const kind = PLAN_ROOTS.get(name);
	if (!kind) throw refuse('unknown root type');
	return { kind, name, depth: 0 };
}

const has = (record: object, key: string): boolean => Object.hasOwn(record, key);

/** The place inside a type held at `key` of `place`, or a refusal when the plan format has no such type there. */
function insideOf(place: Place, key: string | null, type: Y.AbstractType<unknown>): Place {
	const depth = place.depth + 1;
	if (depth > MAX_TYPE_DEPTH) throw refuse('nested too deeply');
	const kind = type.constructor;
	switch (place.kind) {
		case 'section':
		case 'element': {
			if (key !== null) throw refuse('an attribute holds a type');
			const allowed = RICH_TEXT_CHILDREN[place.kind === 'section' ? 'doc' : place.name] ?? [];
			if (kind === Y.XmlElement) {
				const name = (type as Y.XmlElement).nodeName;
				if (!allowed.includes(name)) throw refuse('unknown or misplaced element');
				return { kind: 'element', name, depth };
			}
			if (kind === Y.XmlText && allowed.includes('text')) return { kind: 'xmlText', name: 'text', depth };
			throw refuse('unexpected type in rich text');
		}
		case 'goals':
			if (key === null && kind === Y.Map) return { kind: 'goal', name: 'goal', depth };
			throw refuse('a goal is not a map');
		case 'steps':
			if (key === null && kind === Y.Map) return { kind: 'step', name: 'step', depth };
			throw refuse('a step is not a map');
		case 'goal':
			if (key !== null && has(GOAL_TYPES, key)) {
				const expected = GOAL_TYPES[key as keyof typeof GOAL_TYPES];
				if (expected === 'text' && kind === Y.Text) return { kind: 'text', name: key, depth };
				if (expected === 'steps' && kind === Y.Array) return { kind: 'steps', name: key, depth };
			}
			throw refuse('unknown goal field');
		case 'step':
			if (key !== null && has(STEP_TYPES, key) && kind === Y.Text) return { kind: 'text', name: key, depth };
			throw refuse('unknown step field');
		default:
			throw refuse('text holds a type');
	}
}

const isScalar = (value: unknown): boolean =>
	value === null ||
	typeof value === 'boolean' ||
	(typeof value === 'number' && Number.isFinite(value)) ||
	(typeof value === 'string' && isStorableText(value, MAX_VALUE_LENGTH));

/** Checks content that is not a type (text, formatting, values) against its place. */
function checkLeaf(place: Place, key: string | null, content: Y.Item['content']): void {
	if (content instanceof Y.ContentDeleted) {
		if (key !== null && !isStorableText(key, MAX_VALUE_LENGTH)) throw refuse('a key PostgreSQL cannot store');
		return;
	}
	if (content instanceof Y.ContentString) {
		if (key !== null || (place.kind !== 'xmlText' && place.kind !== 'text')) throw refuse('text outside a text');
		if (!isStorableText(content.str)) throw refuse('text PostgreSQL cannot store');
		return;
	}
	if (content instanceof Y.ContentFormat) {
		if (key !== null || place.kind !== 'xmlText') throw refuse('formatting outside rich text');
		checkMark(content.key, content.value);
		return;
	}
	if (content instanceof Y.ContentAny) {
		if (key === null || content.arr.length !== 1) throw refuse('values outside a field');
		const [value] = content.arr;
		if (place.kind === 'element') {
			if (!(RICH_TEXT_ATTRIBUTES[place.name] ?? []).includes(key) || !isScalar(value)) throw refuse('unknown attribute');
			return;
		}
		const fields = place.kind === 'goal' ? GOAL_FIELDS : place.kind === 'step' ? STEP_FIELDS : null;
		if (!fields || !has(fields, key) || !fields[key]!(value)) throw refuse('unknown field or value');
		return;
	}
	throw refuse('content the plan format does not have');
}

function checkMark(name: string, value: unknown): void {
	if (!has(RICH_TEXT_MARKS, name)) throw refuse('unknown formatting');
	if (value === null) return;
	if (typeof value !== 'object' || Array.isArray(value) || Object.getPrototypeOf(value) !== Object.prototype) throw refuse('formatting value');
	const allowed = RICH_TEXT_MARKS[name]!;
	for (const [attribute, attributeValue] of Object.entries(value)) {
		if (!allowed.includes(attribute) || !isScalar(attributeValue)) throw refuse('formatting attribute');
	}
	const href = (value as { href?: unknown }).href;
	if (name === 'link' && !(typeof href === 'string' && LINK_HREF.test(href))) throw refuse('link target');
}
