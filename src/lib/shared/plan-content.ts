import type * as Y from 'yjs';
import { GOALS_FIELD, PLAN_SECTIONS, sectionField } from './plan-sections.ts';

/** The plan's content in a comparable form: sections and goals, without who wrote them. */
export function planContent(doc: Y.Doc): string {
	const sections = PLAN_SECTIONS.map((section) => doc.getXmlFragment(sectionField(section.id)).toJSON());
	return JSON.stringify({ sections, goals: doc.getArray(GOALS_FIELD).toJSON() });
}
