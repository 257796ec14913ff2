import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { summariseChanges, summariseTransaction, summaryOf, type ChangeSummary } from './change-summary.ts';

/** A plan document that records the summary of every change, as the server's room does. */
function summarisedDoc(): { doc: Y.Doc; summaries: ChangeSummary[] } {
	const doc = new Y.Doc();
	const summaries: ChangeSummary[] = [];
	summariseChanges(doc, (origin) => origin === 'loading');
	doc.on('update', (_update: Uint8Array, origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) => {
		if (origin !== 'loading') summaries.push(summaryOf(transaction));
	});
	return { doc, summaries };
}

/** A paragraph with one text node, as Tiptap writes a section. */
function addParagraph(doc: Y.Doc, section: string, words: string): Y.XmlText {
	const text = new Y.XmlText();
	doc.transact(() => {
		const paragraph = new Y.XmlElement('paragraph');
		doc.getXmlFragment(`section:${section}`).push([paragraph]);
		paragraph.push([text]);
		text.insert(0, words);
	});
	return text;
}

/** A goal in the stored shape (see src/lib/editor/goals.ts). */
function addGoal(doc: Y.Doc, id: string, words: string): Y.Map<unknown> {
	const goal = new Y.Map<unknown>();
	doc.transact(() => {
		const text = new Y.Text();
		text.insert(0, words);
		goal.set('id', id);
		goal.set('domain', 'hope');
		goal.set('text', text);
		goal.set('status', 'proposed');
		goal.set('steps', new Y.Array());
		doc.getArray('goals').push([goal]);
	});
	return goal;
}

describe('summariseTransaction', () => {
	it('counts characters typed into a section, and nothing for the paragraph around them', () => {
		const { doc, summaries } = summarisedDoc();
		const text = addParagraph(doc, 'about', 'I like walking');
		text.insert(14, ' my dog');
		doc.getXmlFragment('section:hope').push([new Y.XmlElement('paragraph')]);
		expect(summaries).toEqual([
			{ sections: { about: [14, 0] }, goals: { added: [], changed: [], removed: [] } },
			{ sections: { about: [7, 0] }, goals: { added: [], changed: [], removed: [] } },
			{ sections: {}, goals: { added: [], changed: [], removed: [] } }
		]);
	});

	it('counts deleted characters, also when a whole paragraph goes', () => {
		const { doc, summaries } = summarisedDoc();
		const text = addParagraph(doc, 'crisis', 'Call my sister first');
		addParagraph(doc, 'crisis', 'then the team');
		text.delete(0, 5);
		doc.getXmlFragment('section:crisis').delete(1, 1);
		expect(summaries.slice(2).map((summary) => summary.sections)).toEqual([{ crisis: [0, 5] }, { crisis: [0, 13] }]);
	});

	it('names goals added, changed and removed, and counts their words under goals', () => {
		const { doc, summaries } = summarisedDoc();
		const goal = addGoal(doc, 'goal-1', 'Walk to the park');
		(goal.get('text') as Y.Text).insert(16, ' daily');
		goal.set('status', 'active');
		doc.getArray('goals').delete(0, 1);
		expect(summaries).toEqual([
			{ sections: { goals: [16, 0] }, goals: { added: ['goal-1'], changed: [], removed: [] } },
			{ sections: { goals: [6, 0] }, goals: { added: [], changed: ['goal-1'], removed: [] } },
			{ sections: {}, goals: { added: [], changed: ['goal-1'], removed: [] } },
			{ sections: { goals: [0, 22] }, goals: { added: [], changed: [], removed: ['goal-1'] } }
		]);
	});

	it('calls a goal replaced by a copy of itself in one change (as a restore does) changed, not removed and added', () => {
		const { doc, summaries } = summarisedDoc();
		addGoal(doc, 'goal-1', 'Sleep well');
		addGoal(doc, 'goal-2', 'Old');
		doc.transact(() => {
			doc.getArray('goals').delete(0, 2);
			addGoal(doc, 'goal-1', 'Sleep well');
			addGoal(doc, 'goal-3', 'New');
		});
		expect(summaries.at(-1)).toEqual({ sections: { goals: [13, 13] }, goals: { added: ['goal-3'], changed: ['goal-1'], removed: ['goal-2'] } });
	});

	it('counts the words of a step as a change to its goal', () => {
		const { doc, summaries } = summarisedDoc();
		const goal = addGoal(doc, 'goal-2', '');
		const step = new Y.Map<unknown>();
		doc.transact(() => {
			step.set('id', 'step-1');
			step.set('what', new Y.Text('Ring the library'));
			(goal.get('steps') as Y.Array<unknown>).push([step]);
		});
		expect(summaries[1]).toEqual({ sections: { goals: [16, 0] }, goals: { added: [], changed: ['goal-2'], removed: [] } });
	});

	it('summarises a change that arrives from another copy exactly as the typed one', () => {
		const writer = new Y.Doc();
		const updates: Uint8Array[] = [];
		writer.on('update', (update: Uint8Array) => updates.push(update));
		const text = addParagraph(writer, 'meaning', 'Gardening');
		text.delete(0, 3);
		const { doc, summaries } = summarisedDoc();
		for (const update of updates) Y.applyUpdate(doc, update);
		expect(summaries.map((summary) => summary.sections)).toEqual([{ meaning: [9, 0] }, { meaning: [0, 3] }]);
	});

	it('skips loading transactions and gives an empty summary for a transaction it did not see', () => {
		const { doc, summaries } = summarisedDoc();
		const source = new Y.Doc();
		addParagraph(source, 'about', 'old words');
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(source), 'loading');
		expect(summaries).toEqual([]);
		expect(summaryOf(undefined)).toEqual({ sections: {}, goals: { added: [], changed: [], removed: [] } });
	});

	it('reads a transaction directly, counting only the plan format’s own parts', () => {
		const doc = new Y.Doc();
		let summary: ChangeSummary | undefined;
		doc.on('beforeObserverCalls', (transaction: Y.Transaction) => (summary = summariseTransaction(transaction)));
		doc.getText('notes').insert(0, 'outside any section');
		expect(summary).toEqual({ sections: {}, goals: { added: [], changed: [], removed: [] } });
		doc.getText('__proto__').insert(0, 'x');
		expect(summary).toEqual({ sections: {}, goals: { added: [], changed: [], removed: [] } });
		expect(({} as Record<string, unknown>)[0]).toBeUndefined();
		const text = new Y.XmlText();
		doc.transact(() => {
			const paragraph = new Y.XmlElement('paragraph');
			doc.getXmlFragment('section:hope').push([paragraph]);
			paragraph.push([text]);
			text.insert(0, 'Spring');
		});
		expect(summary).toEqual({ sections: { hope: [6, 0] }, goals: { added: [], changed: [], removed: [] } });
	});
});
