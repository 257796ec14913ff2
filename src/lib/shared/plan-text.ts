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

/**
 * One block of a section's rich text as copies show it: a heading, a paragraph, or a list item (`depth` 0 for the
 * outermost list; `checked` for a task item, null otherwise). Inline marks are dropped: copies carry the words.
 */
export interface OutlineBlock {
	kind: 'heading' | 'paragraph' | 'item';
	text: string;
	depth: number;
	checked: boolean | null;
}

const textOf = (text: Y.XmlText): string =>
	text
		.toDelta()
		.map((op: { insert?: unknown }) => (typeof op.insert === 'string' ? op.insert : ''))
		.join('');

const inlineText = (element: Y.XmlElement): string =>
	element
		.toArray()
		.map((text) => (text instanceof Y.XmlText ? textOf(text) : ''))
		.join('');

/** The blocks of a rich-text section in document order (nested lists one level deeper each). */
function sectionBlocks(parent: Y.XmlFragment | Y.XmlElement, depth = 0, item: { checked: boolean | null } | null = null): OutlineBlock[] {
	const blocks: OutlineBlock[] = [];
	let pendingItem = item;
	for (const child of parent.toArray()) {
		if (child instanceof Y.XmlText) {
			blocks.push({ kind: 'paragraph', text: textOf(child), depth, checked: null });
			continue;
		}
		if (!(child instanceof Y.XmlElement)) continue;
		if (child.nodeName === 'listItem' || child.nodeName === 'taskItem') {
			const checked = child.nodeName === 'taskItem' ? (child.getAttribute('checked') as unknown) === true : null;
			blocks.push(...sectionBlocks(child, depth, { checked }));
		} else if (child.nodeName === 'bulletList' || child.nodeName === 'orderedList' || child.nodeName === 'taskList') {
			blocks.push(...sectionBlocks(child, item ? depth + 1 : depth));
		} else if (child.nodeName === 'paragraph' || child.nodeName === 'heading') {
			// The first paragraph of a list item is the item; any later one is a paragraph inside it.
			if (pendingItem) blocks.push({ kind: 'item', text: inlineText(child), depth, checked: pendingItem.checked });
			else
				blocks.push({ kind: child.nodeName === 'heading' ? 'heading' : 'paragraph', text: inlineText(child), depth: item ? depth + 1 : depth, checked: null });
			pendingItem = null;
		} else {
			blocks.push(...sectionBlocks(child, depth));
		}
	}
	return blocks;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const dateOrNull = (value: unknown): string | null => (typeof value === 'string' && DATE.test(value) ? value : null);
const plainWords = (value: unknown): string => (value instanceof Y.Text ? value.toString() : typeof value === 'string' ? value : '');

/** A step of a goal as copies list it: its words, whether it is done, who does it and by when (codes and ISO dates). */
export interface OutlinedStep {
	id: string;
	what: string;
	done: boolean;
	who: StepOwner | null;
	byWhen: string | null;
}

/** A goal as copies list it: its words and status code, its target date and its steps. */
export interface OutlinedGoal {
	id: string;
	text: string;
	status: GoalStatus | null;
	targetDate: string | null;
	steps: OutlinedStep[];
}

/** What a plan holds, section by section, without any words of ours: replayed once, said in the reader's language. */
export interface PlanOutline {
	sections: { id: SectionId; blocks: OutlineBlock[]; goals: OutlinedGoal[] }[];
}

function outlineStep(step: Y.Map<unknown>): OutlinedStep {
	const who = step.get('who') as StepOwner;
	const id = step.get('id');
	return {
		id: typeof id === 'string' ? id : '',
		what: plainWords(step.get('what')),
		done: step.get('done') === true,
		who: STEP_OWNERS.includes(who) ? who : null,
		byWhen: dateOrNull(step.get('byWhen'))
	};
}

function outlineGoal(goal: Y.Map<unknown>): OutlinedGoal {
	const status = goal.get('status') as GoalStatus;
	const steps = goal.get('steps');
	const id = goal.get('id');
	return {
		id: typeof id === 'string' ? id : '',
		text: plainWords(goal.get('text')),
		status: GOAL_STATUSES.includes(status) ? status : null,
		targetDate: dateOrNull(goal.get('targetDate')),
		steps: (steps instanceof Y.Array ? steps.toArray() : []).filter((step): step is Y.Map<unknown> => step instanceof Y.Map).map(outlineStep)
	};
}

/** The plan's sections and goals as plain blocks (the heavy part, which runs in a worker thread). */
export function outlinePlan(doc: Y.Doc): PlanOutline {
	const goals = doc
		.getArray<Y.Map<unknown>>(GOALS_FIELD)
		.toArray()
		.filter((goal) => goal instanceof Y.Map);
	return {
		sections: PLAN_SECTIONS.map((section) => ({
			id: section.id,
			blocks: sectionBlocks(doc.getXmlFragment(sectionField(section.id))).filter((block) => block.text.trim() !== ''),
			goals: goals
				.filter((goal) => goal.get('domain') === section.id)
				.sort((a, b) => Number(a.get('order') ?? 0) - Number(b.get('order') ?? 0))
				.map(outlineGoal)
		}))
	};
}

/** A block as one line of plain text: list items with a dash (and a box for task items), indented by depth. */
export function blockLine(block: OutlineBlock): string {
	const indent = '  '.repeat(block.depth);
	if (block.kind !== 'item') return `${indent}${block.text}`;
	const box = block.checked === null ? '' : block.checked ? '[x] ' : '[ ] ';
	return `${indent}- ${box}${block.text.trim()}`;
}

/** The plan as plain text, for the person to keep a copy of, in the language of the one downloading it. */
export function planAsText(outline: PlanOutline, heading: { title: string; person: string; printedAt: string }): string {
	const out = [heading.title, m.download_heading({ person: heading.person, date: heading.printedAt }), ''];
	for (const section of outline.sections) {
		out.push((PLAN_SECTIONS.find((known) => known.id === section.id)?.title ?? section.id).toLocaleUpperCase(intlLocale()));
		out.push(...(section.blocks.length > 0 ? section.blocks.map(blockLine) : [m.download_nothing_written()]));
		for (const goal of section.goals) {
			out.push(goal.status ? m.download_goal_with_status({ text: goal.text, status: GOAL_STATUS_LABELS[goal.status] }) : m.download_goal({ text: goal.text }));
			for (const step of goal.steps) out.push(`  - ${step.done ? '[x] ' : ''}${step.what}${step.who ? ` (${STEP_OWNER_LABELS[step.who]})` : ''}`);
		}
		out.push('');
	}
	return out.join('\n');
}
