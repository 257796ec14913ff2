import { getSchema } from '@tiptap/core';
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { addGoal, addStep, goalsOf, setGoalField, setStepField } from '../../src/lib/editor/goals.ts';
import { contentExtensions } from '../../src/lib/editor/section-extensions.ts';
import { MAX_STRUCTS_PER_CHANGE, MAX_TYPE_DEPTH } from '../../src/lib/shared/plan-format.ts';
import { checkPlanUpdate, type UpdateVerdict } from './update-guard.ts';

const schema = getSchema(contentExtensions());
const SAM = 'sam';
const PRIYA = 'priya';

/** The server's document and the owners of its client ids, with a way to apply what was accepted. */
function serverPlan() {
	const doc = new Y.Doc();
	const owners = new Map<number, string>();
	return {
		doc,
		owners,
		check(update: Uint8Array, userId = SAM): UpdateVerdict {
			return checkPlanUpdate(doc, update, userId, (clientId) => owners.get(clientId));
		},
		/** Checks, and applies when accepted (binding new client ids), as the room does. */
		accept(update: Uint8Array, userId = SAM): UpdateVerdict {
			const verdict = this.check(update, userId);
			if (verdict.ok) {
				for (const clientId of verdict.newClients) if (!owners.has(clientId)) owners.set(clientId, userId);
				Y.applyUpdate(doc, update);
			}
			return verdict;
		}
	};
}

/** A client document whose changes are collected one update per transaction. */
function editor(server?: { doc: Y.Doc }) {
	const doc = new Y.Doc();
	if (server) Y.applyUpdate(doc, Y.encodeStateAsUpdate(server.doc));
	const updates: Uint8Array[] = [];
	doc.on('update', (update: Uint8Array) => updates.push(update));
	return { doc, updates, all: () => Y.mergeUpdates(updates.splice(0)) };
}

const richText = {
	type: 'doc',
	content: [
		{ type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text: 'What matters to me' }] },
		{
			type: 'paragraph',
			content: [
				{ type: 'text', text: 'My ' },
				{ type: 'text', marks: [{ type: 'bold' }, { type: 'italic' }], text: 'allotment' },
				{ type: 'hardBreak' },
				{ type: 'text', marks: [{ type: 'link', attrs: { href: 'https://example.org/garden' } }], text: 'the garden project' }
			]
		},
		{ type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'my sister' }] }] }] },
		{ type: 'orderedList', attrs: { start: 2 }, content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'walks' }] }] }] },
		{
			type: 'taskList',
			content: [{ type: 'taskItem', attrs: { checked: true }, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'call the GP' }] }] }]
		},
		{ type: 'blockquote', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'I decide.' }] }] }
	]
};

function nestedLists(levels: number): object {
	let item: object = { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'deep' }] }] };
	for (let level = 1; level < levels; level++) {
		item = {
			type: 'listItem',
			content: [
				{ type: 'paragraph', content: [{ type: 'text', text: `level ${level}` }] },
				{ type: 'bulletList', content: [item] }
			]
		};
	}
	return { type: 'doc', content: [{ type: 'bulletList', content: [item] }] };
}

const refused = (reason?: string) => (reason ? { ok: false, problem: 'refused', reason } : expect.objectContaining({ ok: false, problem: 'refused' }));

describe('the update guard', () => {
	it('accepts everything the section editor and the goals panel write', () => {
		const server = serverPlan();
		const sam = editor(server);
		prosemirrorJSONToYXmlFragment(schema, richText, sam.doc.getXmlFragment('section:about'));
		expect(server.accept(sam.all())).toMatchObject({ ok: true, newClients: [sam.doc.clientID] });

		const goalId = addGoal(sam.doc, 'connectedness', 'See my sister every week');
		setGoalField(sam.doc, goalId, 'status', 'active');
		setGoalField(sam.doc, goalId, 'targetDate', '2027-03-01');
		const stepId = addStep(sam.doc, goalId, 'worker')!;
		setStepField(sam.doc, goalId, stepId, 'byWhen', '2027-01-15');
		setStepField(sam.doc, goalId, stepId, 'done', true);
		(goalsOf(sam.doc).get(0).get('steps') as Y.Array<Y.Map<unknown>>).get(0).get('what');
		expect(server.accept(sam.all())).toMatchObject({ ok: true });

		// Another person's editor typing next to Sam's words, and deleting some of them.
		const priya = editor(server);
		const paragraph = priya.doc.getXmlFragment('section:about').get(1) as Y.XmlElement;
		(paragraph.get(0) as Y.XmlText).insert(3, 'own ');
		(paragraph.get(0) as Y.XmlText).delete(0, 1);
		priya.doc.getXmlFragment('section:about').delete(5, 1);
		expect(server.accept(priya.all(), PRIYA)).toMatchObject({ ok: true, newClients: [priya.doc.clientID] });
		expect(server.doc.getXmlFragment('section:about').length).toBe(5);
	});

	it('accepts nested lists up to the depth limit and refuses deeper ones', () => {
		const allowed = serverPlan();
		const shallow = editor(allowed);
		prosemirrorJSONToYXmlFragment(schema, nestedLists(Math.floor((MAX_TYPE_DEPTH - 2) / 2)), shallow.doc.getXmlFragment('section:identity'));
		expect(allowed.check(shallow.all())).toMatchObject({ ok: true });

		const server = serverPlan();
		const deep = editor(server);
		prosemirrorJSONToYXmlFragment(schema, nestedLists(MAX_TYPE_DEPTH), deep.doc.getXmlFragment('section:identity'));
		expect(server.check(deep.all())).toEqual(refused('nested too deeply'));
	});

	it('refuses root types outside the plan format, whatever their name', () => {
		for (const name of ['__proto__', 'constructor', 'notes', 'section:unknown', 'goals\u0000']) {
			const server = serverPlan();
			const attacker = editor(server);
			attacker.doc.getText(name).insert(0, 'x');
			expect(server.check(attacker.all())).toEqual(refused('unknown root type'));
		}
		// The right name with the wrong kind of content.
		const server = serverPlan();
		const attacker = editor(server);
		attacker.doc.getText('section:about').insert(0, 'plain text straight into a section');
		expect(server.check(attacker.all())).toEqual(refused());
		const goalsAsText = editor(server);
		goalsAsText.doc.getArray('goals').push(['not a goal']);
		expect(server.check(goalsAsText.all())).toEqual(refused());
	});

	it('refuses elements, attributes and formatting the editor does not know', () => {
		const cases: ((doc: Y.Doc) => void)[] = [
			(doc) => doc.getXmlFragment('section:hope').insert(0, [new Y.XmlElement('script')]),
			(doc) => doc.getXmlFragment('section:hope').insert(0, [new Y.XmlElement('image')]),
			(doc) => doc.getXmlFragment('section:hope').insert(0, [new Y.XmlElement('listItem')]), // misplaced
			(doc) => doc.getXmlFragment('section:hope').insert(0, [new Y.XmlText('text outside a paragraph')]),
			(doc) => {
				const paragraph = new Y.XmlElement('paragraph');
				doc.getXmlFragment('section:hope').insert(0, [paragraph]);
				paragraph.setAttribute('onclick', 'alert(1)');
			},
			(doc) => {
				const paragraph = new Y.XmlElement('paragraph');
				const text = new Y.XmlText();
				doc.getXmlFragment('section:hope').insert(0, [paragraph]);
				paragraph.insert(0, [text]);
				text.insert(0, 'click me', { link: { href: 'javascript:alert(1)' } });
			},
			(doc) => {
				const paragraph = new Y.XmlElement('paragraph');
				const text = new Y.XmlText();
				doc.getXmlFragment('section:hope').insert(0, [paragraph]);
				paragraph.insert(0, [text]);
				text.insert(0, 'shouting', { blink: {} });
			},
			(doc) => {
				const paragraph = new Y.XmlElement('paragraph');
				doc.getXmlFragment('section:hope').insert(0, [paragraph]);
				paragraph.insert(0, [new Y.XmlHook('hook') as unknown as Y.XmlElement]);
			}
		];
		for (const write of cases) {
			const server = serverPlan();
			const attacker = editor(server);
			write(attacker.doc);
			expect(server.check(attacker.all())).toEqual(refused());
		}
	});

	it('refuses goals that are not the goal shape: nested maps, unknown fields, bad values, NUL characters', () => {
		const base = serverPlan();
		const sam = editor(base);
		const goalId = addGoal(sam.doc, 'hope', 'Back to work');
		expect(base.accept(sam.all())).toMatchObject({ ok: true });
		const goal = (doc: Y.Doc) => goalsOf(doc).get(0);
		const cases: ((doc: Y.Doc) => void)[] = [
			(doc) => {
				let map = new Y.Map<unknown>();
				goal(doc).set('text', map as never);
				for (let level = 0; level < 5; level++) {
					const inner = new Y.Map<unknown>();
					map.set('x', inner);
					map = inner;
				}
			},
			(doc) => goal(doc).set('nested', new Y.Map()),
			(doc) => goal(doc).set('colour', 'red'),
			(doc) => goal(doc).set('status', 'abandoned'),
			(doc) => goal(doc).set('order', Number.NaN),
			(doc) => goal(doc).set('targetDate', 'next week'),
			(doc) => goal(doc).set('id', 'goal\u0000id'),
			(doc) => (goal(doc).get('text') as Y.Text).insert(0, 'nul \u0000 in the words'),
			(doc) => (goal(doc).get('text') as Y.Text).format(0, 2, { bold: {} }),
			(doc) => (goal(doc).get('steps') as Y.Array<unknown>).push(['a string step']),
			(doc) => {
				const step = new Y.Map<unknown>();
				(goal(doc).get('steps') as Y.Array<unknown>).push([step]);
				step.set('what', new Y.Array());
			}
		];
		for (const write of cases) {
			const attacker = editor(base);
			write(attacker.doc);
			expect(base.check(attacker.all(), PRIYA)).toEqual(refused());
		}
		expect(goalId).toMatch(/^[0-9a-f-]{36}$/);
	});

	it('refuses a change that rides on another person’s next, unsent character (a gap)', () => {
		const server = serverPlan();
		const sam = editor(server);
		const goalId = addGoal(sam.doc, 'empowerment', 'I decide.');
		expect(server.accept(sam.all())).toMatchObject({ ok: true });
		// Sam types a space that has not reached the server; Priya somehow learns it and writes after it.
		const text = goalsOf(sam.doc).get(0).get('text') as Y.Text;
		text.insert(9, ' ');
		const samsNext = sam.all();
		const priya = editor(server);
		Y.applyUpdate(priya.doc, samsNext);
		const before = Y.encodeStateVector(priya.doc);
		(goalsOf(priya.doc).get(0).get('text') as Y.Text).insert(10, 'I agree to depot medication.');
		const riding = Y.encodeStateAsUpdate(priya.doc, before);
		expect(server.check(riding, PRIYA)).toMatchObject({ ok: false, problem: 'gap' });
		// Sam's own character is fine, and once it is there Priya's change is too (it is hers, and visible).
		expect(server.accept(samsNext)).toMatchObject({ ok: true });
		expect(server.accept(riding, PRIYA)).toMatchObject({ ok: true });
		expect(goalId).toBeTruthy();
	});

	it('refuses holes, deletions of unknown content and content under another person’s client id', () => {
		const server = serverPlan();
		const sam = editor(server);
		const goalId = addGoal(sam.doc, 'meaning', 'Volunteer');
		const first = sam.all();
		(goalsOf(sam.doc).get(0).get('text') as Y.Text).insert(0, 'To ');
		sam.all();
		(goalsOf(sam.doc).get(0).get('text') as Y.Text).insert(0, 'Start: ');
		const third = sam.all();
		expect(server.accept(first)).toMatchObject({ ok: true });
		expect(server.check(third)).toMatchObject({ ok: false, problem: 'gap' });

		const priya = editor(server);
		priya.doc.clientID = sam.doc.clientID;
		(goalsOf(priya.doc).get(0).get('text') as Y.Text).insert(0, 'Not ');
		expect(server.check(priya.all(), PRIYA)).toMatchObject({ ok: false, problem: 'forged' });
		expect(goalId).toBeTruthy();
	});

	it('refuses a change with more structs than one change may bring', () => {
		const server = serverPlan();
		const flood = editor(server);
		const fragment = flood.doc.getXmlFragment('section:crisis');
		fragment.insert(
			0,
			Array.from({ length: MAX_STRUCTS_PER_CHANGE + 1 }, () => new Y.XmlElement('paragraph'))
		);
		expect(server.check(flood.all())).toEqual(refused('too many structs'));
	});

	it('treats bytes that are not an update as malformed (throws), leaving the document untouched', () => {
		const server = serverPlan();
		expect(() => server.check(new Uint8Array([200, 1, 2, 3]))).toThrow();
		expect(Y.encodeStateVector(server.doc)).toEqual(Y.encodeStateVector(new Y.Doc()));
	});
});
