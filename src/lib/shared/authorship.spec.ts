import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { charsByPerson, countAuthorship } from './authorship.ts';
import { PLAN_SECTIONS } from './plan-sections.ts';

/** Two people's copies of one plan, kept in step. */
function twoWriters(): { sam: Y.Doc; priya: Y.Doc } {
	const sam = new Y.Doc();
	const priya = new Y.Doc();
	sam.on('update', (update: Uint8Array) => Y.applyUpdate(priya, update, 'remote'));
	priya.on('update', (update: Uint8Array, origin: unknown) => {
		if (origin !== 'remote') Y.applyUpdate(sam, update, 'remote');
	});
	return { sam, priya };
}

const section = (doc: Y.Doc, id: string) => countAuthorship(doc).sections.find((counted) => counted.id === id)!;

describe('countAuthorship', () => {
	it('counts each person’s live characters per section, in every section in order', () => {
		const { sam, priya } = twoWriters();
		const text = new Y.XmlText();
		sam.transact(() => {
			const paragraph = new Y.XmlElement('paragraph');
			paragraph.setAttribute('textAlign', 'left');
			sam.getXmlFragment('section:about').push([paragraph]);
			paragraph.push([text]);
			text.insert(0, 'I love my allotment', { bold: true });
		});
		const priyaText = (priya.getXmlFragment('section:about').get(0) as Y.XmlElement).get(0) as Y.XmlText;
		priyaText.insert(19, ' and my dog');
		priyaText.delete(0, 2);

		const counted = countAuthorship(priya);
		expect(counted.sections.map((entry) => entry.id)).toEqual(PLAN_SECTIONS.map((entry) => entry.id));
		const about = section(priya, 'about');
		expect(about.total).toBe(17 + 11);
		expect(about.byClient).toEqual(
			new Map([
				[sam.clientID, 17],
				[priya.clientID, 11]
			])
		);
		expect(section(priya, 'hope')).toEqual({ id: 'hope', total: 0, byClient: new Map() });
	});

	it('counts goal and step words per goal, not their ids, statuses or dates', () => {
		const { sam, priya } = twoWriters();
		sam.transact(() => {
			const goal = new Y.Map<unknown>();
			goal.set('id', 'goal-1');
			goal.set('domain', 'connectedness');
			goal.set('text', new Y.Text('See my brother'));
			goal.set('status', 'active');
			goal.set('targetDate', '2026-05-01');
			goal.set('steps', new Y.Array());
			sam.getArray('goals').push([goal]);
		});
		priya.transact(() => {
			const goal = priya.getArray<Y.Map<unknown>>('goals').get(0);
			(goal.get('text') as Y.Text).insert(14, ' monthly');
			const step = new Y.Map<unknown>();
			step.set('id', 'step-1');
			step.set('what', new Y.Text('Book a train'));
			step.set('who', 'worker');
			(goal.get('steps') as Y.Array<unknown>).push([step]);
		});
		const goal = priya.getArray<Y.Map<unknown>>('goals').get(0);
		goal.set('status', 'achieved');

		expect(countAuthorship(sam).goals).toEqual([
			{
				id: 'goal-1',
				domain: 'connectedness',
				total: 14 + 8 + 12,
				byClient: new Map([
					[sam.clientID, 14],
					[priya.clientID, 20]
				])
			}
		]);
	});

	it('gives no domain to a goal whose domain is not a CHIME domain', () => {
		const doc = new Y.Doc();
		const goal = new Y.Map<unknown>();
		goal.set('id', 'goal-x');
		goal.set('domain', 'crisis');
		goal.set('text', new Y.Text('x'));
		doc.getArray('goals').push([goal]);
		expect(countAuthorship(doc).goals[0]).toMatchObject({ id: 'goal-x', domain: null, total: 1 });
	});
});

describe('charsByPerson', () => {
	it('adds up client ids per person, and unbound ids as unknown', () => {
		const owners = new Map([
			[1, 'sam'],
			[2, 'sam'],
			[3, 'priya']
		]);
		expect(
			charsByPerson(
				new Map([
					[1, 5],
					[2, 4],
					[3, 2],
					[9, 1]
				]),
				(client) => owners.get(client)
			)
		).toEqual(
			new Map([
				['sam', 9],
				['priya', 2],
				['unknown', 1]
			])
		);
	});
});
