import * as Y from 'yjs';
import {
	GOAL_STATUS_LABELS,
	GOAL_STATUSES,
	GOALS_FIELD,
	PLAN_SECTIONS,
	sectionField,
	STEP_OWNER_LABELS,
	STEP_OWNERS,
	type GoalStatus,
	type StepOwner
} from './plan-sections.ts';

/** The plain words of a rich-text section: one line per paragraph or heading, list items with a dash. */
function sectionLines(parent: Y.XmlFragment | Y.XmlElement, depth = 0): string[] {
	const lines: string[] = [];
	for (const child of parent.toArray()) {
		if (child instanceof Y.XmlText) {
			lines.push(child.toString().replace(/<[^>]*>/g, ''));
			continue;
		}
		if (!(child instanceof Y.XmlElement)) continue;
		if (child.nodeName === 'listItem' || child.nodeName === 'taskItem') {
			const checked = child.nodeName === 'taskItem' ? ((child.getAttribute('checked') as unknown) === true ? '[x] ' : '[ ] ') : '';
			const [first = '', ...rest] = sectionLines(child, depth + 1);
			lines.push(`${'  '.repeat(depth)}- ${checked}${first.trim()}`, ...rest);
		} else if (child.nodeName === 'paragraph' || child.nodeName === 'heading') {
			lines.push(
				child
					.toArray()
					.map((text) => (text instanceof Y.XmlText ? textOf(text) : ''))
					.join('')
			);
		} else {
			lines.push(...sectionLines(child, depth));
		}
	}
	return lines;
}

const textOf = (text: Y.XmlText): string =>
	text
		.toDelta()
		.map((op: { insert?: unknown }) => (typeof op.insert === 'string' ? op.insert : ''))
		.join('');

/** The plan as plain text, for the person to keep a copy of. */
export function planAsText(doc: Y.Doc, heading: { title: string; person: string; printedAt: string }): string {
	const out = [heading.title, `${heading.person}’s plan · copy made ${heading.printedAt}`, ''];
	const goals = doc
		.getArray<Y.Map<unknown>>(GOALS_FIELD)
		.toArray()
		.filter((goal) => goal instanceof Y.Map);
	for (const section of PLAN_SECTIONS) {
		out.push(section.title.toUpperCase());
		const lines = sectionLines(doc.getXmlFragment(sectionField(section.id))).filter((line) => line.trim() !== '');
		out.push(...(lines.length > 0 ? lines : ['(nothing written yet)']));
		const mine = goals.filter((goal) => goal.get('domain') === section.id).sort((a, b) => Number(a.get('order') ?? 0) - Number(b.get('order') ?? 0));
		for (const goal of mine) {
			const status = GOAL_STATUSES.includes(goal.get('status') as GoalStatus) ? GOAL_STATUS_LABELS[goal.get('status') as GoalStatus] : '';
			out.push(`Goal: ${String(goal.get('text') ?? '')}${status ? ` (${status})` : ''}`);
			const steps = goal.get('steps');
			if (steps instanceof Y.Array) {
				for (const step of steps.toArray()) {
					if (!(step instanceof Y.Map)) continue;
					const who = STEP_OWNERS.includes(step.get('who') as StepOwner) ? STEP_OWNER_LABELS[step.get('who') as StepOwner] : '';
					out.push(`  - ${step.get('done') === true ? '[x] ' : ''}${String(step.get('what') ?? '')}${who ? ` (${who})` : ''}`);
				}
			}
		}
		out.push('');
	}
	return out.join('\n');
}
