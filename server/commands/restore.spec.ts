import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { charsByPerson, countAuthorship } from '../../src/lib/shared/authorship.ts';
import { restoreChange } from './restore.ts';

/** Two people writing one plan, each on their own copy, with the client-id bindings the server keeps. */
function writtenPlan() {
	const sam = new Y.Doc();
	const priya = new Y.Doc();
	sam.on('update', (update: Uint8Array) => Y.applyUpdate(priya, update, 'remote'));
	priya.on('update', (update: Uint8Array, origin: unknown) => {
		if (origin !== 'remote') Y.applyUpdate(sam, update, 'remote');
	});
	const owners = new Map([
		[sam.clientID, 'sam'],
		[priya.clientID, 'priya']
	]);
	return { sam, priya, owners };
}

function paragraph(doc: Y.Doc, section: string, words: string, attributes?: Record<string, unknown>): Y.XmlText {
	const text = new Y.XmlText();
	doc.transact(() => {
		const element = new Y.XmlElement('paragraph');
		element.setAttribute('textAlign', 'left');
		doc.getXmlFragment(`section:${section}`).push([element]);
		element.push([text]);
		text.insert(0, words, attributes);
	});
	return text;
}

function goal(doc: Y.Doc, id: string, words: string): void {
	doc.transact(() => {
		const map = new Y.Map<unknown>();
		map.set('id', id);
		map.set('domain', 'meaning');
		map.set('text', new Y.Text(words));
		map.set('status', 'proposed');
		map.set('order', 1);
		const step = new Y.Map<unknown>();
		step.set('id', `${id}-step`);
		step.set('what', new Y.Text(`First step of ${id}`));
		step.set('done', false);
		map.set('steps', Y.Array.from([step]));
		doc.getArray('goals').push([map]);
	});
}

/** Runs a restore on a copy of `current` as the room does: each person's words under a fresh client id of theirs. */
function restore(current: Y.Doc, version: Y.Doc, owners: Map<number, string>, target: Parameters<typeof restoreChange>[3]) {
	const draft = new Y.Doc({ gc: false });
	Y.applyUpdate(draft, Y.encodeStateAsUpdate(current));
	const clientOf = new Map<string, number>();
	let nextClient = 1000;
	restoreChange(
		version,
		owners,
		'tom',
		target
	)(draft, (person) => {
		if (!clientOf.has(person)) clientOf.set(person, nextClient++);
		draft.clientID = clientOf.get(person)!;
	});
	const allOwners = new Map(owners);
	for (const [person, client] of clientOf) allOwners.set(client, person);
	return { draft, owners: allOwners, writers: [...clientOf.keys()] };
}

const copyOf = (doc: Y.Doc) => {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	return copy;
};

const sectionXml = (doc: Y.Doc, id: string) => doc.getXmlFragment(`section:${id}`).toString();
const goalsById = (doc: Y.Doc) => (doc.getArray('goals').toJSON() as { id: string }[]).toSorted((a, b) => a.id.localeCompare(b.id));

function wordsByPerson(doc: Y.Doc, owners: Map<number, string>) {
	const counted = countAuthorship(doc);
	const all = new Map<number, number>();
	for (const part of [...counted.sections, ...counted.goals]) for (const [client, chars] of part.byClient) all.set(client, (all.get(client) ?? 0) + chars);
	return Object.fromEntries(charsByPerson(all, (client) => owners.get(client)));
}

describe('restoreChange', () => {
	it('brings one section back with its paragraphs, formatting and writers, and leaves the rest alone', () => {
		const { sam, priya, owners } = writtenPlan();
		const about = paragraph(sam, 'about', 'I like ');
		about.insert(7, 'swimming', { bold: true });
		paragraph(priya, 'hope', 'A holiday');
		((priya.getXmlFragment('section:about').get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(15, ' in the sea', {});
		const version = copyOf(sam);

		about.delete(0, about.length);
		about.insert(0, 'Nothing');
		paragraph(priya, 'hope', 'More hope');
		const { draft, owners: allOwners, writers } = restore(sam, version, owners, { section: 'about' });

		expect(sectionXml(draft, 'about')).toBe(sectionXml(version, 'about'));
		expect(sectionXml(draft, 'about')).toContain('I like <bold>swimming</bold> in the sea');
		expect(sectionXml(draft, 'hope')).toBe(sectionXml(sam, 'hope'));
		expect(writers.toSorted()).toEqual(['priya', 'sam', 'tom']);
		expect(wordsByPerson(draft, allOwners)).toEqual({ sam: 'I like swimming'.length, priya: ' in the sea'.length + 'A holiday'.length + 'More hope'.length });
	});

	it('brings the whole plan back, goal by goal, leaving goals that are already as they were untouched', () => {
		const { sam, priya, owners } = writtenPlan();
		paragraph(sam, 'crisis', 'Call my sister');
		goal(sam, 'kept', 'Cook on Sundays');
		goal(sam, 'edited', 'Walk daily');
		goal(priya, 'removed', 'See the GP');
		const version = copyOf(sam);

		const keptBefore = sam.getArray<Y.Map<unknown>>('goals').get(0);
		(sam.getArray<Y.Map<unknown>>('goals').get(1).get('text') as Y.Text).insert(10, ' and run');
		priya.getArray('goals').delete(2, 1);
		goal(priya, 'added', 'Try yoga');
		paragraph(priya, 'crisis', 'Call the team');
		const { draft, owners: allOwners } = restore(sam, version, owners, 'plan');

		for (const id of ['about', 'crisis']) expect(sectionXml(draft, id)).toBe(sectionXml(version, id));
		expect(goalsById(draft)).toEqual(goalsById(version));
		expect(wordsByPerson(draft, allOwners)).toEqual({
			sam: 'Call my sister'.length + 'Cook on Sundays'.length + 'First step of kept'.length + 'Walk daily'.length + 'First step of edited'.length,
			priya: 'See the GP'.length + 'First step of removed'.length
		});
		// The goal nobody changed is the very same Yjs map: its words were not rewritten.
		const keptAfter = draft
			.getArray<Y.Map<unknown>>('goals')
			.toArray()
			.find((map) => map.get('id') === 'kept')!;
		expect(keptAfter._item!.id).toEqual(keptBefore._item!.id);
	});

	it('changes nothing when the target is already as it was', () => {
		const { sam, owners } = writtenPlan();
		paragraph(sam, 'about', 'Same as before');
		goal(sam, 'g', 'Same goal');
		const version = copyOf(sam);
		const draft = new Y.Doc();
		Y.applyUpdate(draft, Y.encodeStateAsUpdate(sam));
		const updates: Uint8Array[] = [];
		draft.on('update', (update: Uint8Array) => updates.push(update));
		restoreChange(version, owners, 'tom', 'plan')(draft, () => {});
		expect(updates).toEqual([]);
	});
});
