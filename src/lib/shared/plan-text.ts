import * as Y from 'yjs';
import { m } from '../paraglide/messages.js';
import { intlLocale } from './dates.ts';
import {
	GOAL_STATUS_LABELS,
	GOAL_STATUSES,
	GOALS_FIELD,
	PLAN_SECTIONS,
	sectionField,
	STEP_OWNER_LABELS,
	STEP_OWNERS,
	type GoalStatus,
	type SectionId,
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

/** A goal as the copy lists it: its words and status code, and its steps with who does them (codes, not words). */
export interface OutlinedGoal {
	text: string;
	status: GoalStatus | null;
	steps: { what: string; done: boolean; who: StepOwner | null }[];
}

/** What a plan holds, section by section, without any words of ours: replayed once, said in the reader's language. */
export interface PlanOutline {
	sections: { id: SectionId; lines: string[]; goals: OutlinedGoal[] }[];
}

/** The plan's sections and goals as plain lines (the heavy part, which runs in a worker thread). */
export function outlinePlan(doc: Y.Doc): PlanOutline {
	const goals = doc
		.getArray<Y.Map<unknown>>(GOALS_FIELD)
		.toArray()
		.filter((goal) => goal instanceof Y.Map);
	return {
		sections: PLAN_SECTIONS.map((section) => ({
			id: section.id,
			lines: sectionLines(doc.getXmlFragment(sectionField(section.id))).filter((line) => line.trim() !== ''),
			goals: goals
				.filter((goal) => goal.get('domain') === section.id)
				.sort((a, b) => Number(a.get('order') ?? 0) - Number(b.get('order') ?? 0))
				.map((goal) => {
					const status = goal.get('status') as GoalStatus;
					const steps = goal.get('steps');
					return {
						text: String(goal.get('text') ?? ''),
						status: GOAL_STATUSES.includes(status) ? status : null,
						steps: (steps instanceof Y.Array ? steps.toArray() : [])
							.filter((step): step is Y.Map<unknown> => step instanceof Y.Map)
							.map((step) => {
								const who = step.get('who') as StepOwner;
								return { what: String(step.get('what') ?? ''), done: step.get('done') === true, who: STEP_OWNERS.includes(who) ? who : null };
							})
					};
				})
		}))
	};
}

/** The plan as plain text, for the person to keep a copy of, in the language of the one downloading it. */
export function planAsText(outline: PlanOutline, heading: { title: string; person: string; printedAt: string }): string {
	const out = [heading.title, m.download_heading({ person: heading.person, date: heading.printedAt }), ''];
	for (const section of outline.sections) {
		out.push((PLAN_SECTIONS.find((known) => known.id === section.id)?.title ?? section.id).toLocaleUpperCase(intlLocale()));
		out.push(...(section.lines.length > 0 ? section.lines : [m.download_nothing_written()]));
		for (const goal of section.goals) {
			out.push(goal.status ? m.download_goal_with_status({ text: goal.text, status: GOAL_STATUS_LABELS[goal.status] }) : m.download_goal({ text: goal.text }));
			for (const step of goal.steps) out.push(`  - ${step.done ? '[x] ' : ''}${step.what}${step.who ? ` (${STEP_OWNER_LABELS[step.who]})` : ''}`);
		}
		out.push('');
	}
	return out.join('\n');
}
