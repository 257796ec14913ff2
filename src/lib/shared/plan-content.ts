import * as Y from 'yjs';
import { GOALS_FIELD, PLAN_SECTIONS, sectionField } from './plan-sections.ts';

/** The plan's content in a comparable form: sections and goals, without who wrote them. */
export function planContent(doc: Y.Doc): string {
	const sections = PLAN_SECTIONS.map((section) => doc.getXmlFragment(sectionField(section.id)).toJSON());
	return JSON.stringify({ sections, goals: doc.getArray(GOALS_FIELD).toJSON() });
}

/** A plan's document from its stored parts (a checkpoint, if any, then later updates), applied in one transaction. */
export function docFromStored(checkpoint: Uint8Array | null, tail: Uint8Array[]): Y.Doc {
	const doc = new Y.Doc();
	// One transaction for the whole replay: far faster than one per update.
	doc.transact(() => {
		if (checkpoint) Y.applyUpdate(doc, checkpoint);
		for (const update of tail) Y.applyUpdate(doc, update);
	});
	return doc;
}
