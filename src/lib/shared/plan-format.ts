import { CHIME_DOMAINS, GOAL_STATUSES, GOALS_FIELD, PLAN_SECTIONS, sectionField, STEP_OWNERS } from './plan-sections.ts';

/**
 * The shape a plan's Y.Doc may have: the storage format. The collaboration server refuses any change that does
 * not fit it, so nothing outside it ever reaches the live document, the log or anyone's editor. The rich-text
 * part mirrors the Tiptap schema of the section editor (a unit test keeps the two in step).
 */

/** Root type names of a plan document, and what each holds. */
export const PLAN_ROOTS: ReadonlyMap<string, 'section' | 'goals'> = new Map<string, 'section' | 'goals'>([
	...PLAN_SECTIONS.map((section) => [sectionField(section.id), 'section'] as const),
	[GOALS_FIELD, 'goals']
]);

/** Rich text: which elements each element (and the section itself, `doc`) may contain; `text` is a run of text. */
export const RICH_TEXT_CHILDREN: Readonly<Record<string, readonly string[]>> = {
	doc: ['paragraph', 'blockquote', 'bulletList', 'heading', 'orderedList', 'taskList'],
	paragraph: ['hardBreak', 'text'],
	heading: ['hardBreak', 'text'],
	blockquote: ['paragraph', 'blockquote', 'bulletList', 'heading', 'orderedList', 'taskList'],
	bulletList: ['listItem'],
	orderedList: ['listItem'],
	listItem: ['paragraph', 'blockquote', 'bulletList', 'heading', 'orderedList', 'taskList'],
	taskList: ['taskItem'],
	taskItem: ['paragraph', 'blockquote', 'bulletList', 'heading', 'orderedList', 'taskList'],
	hardBreak: []
};

/** Attributes each rich-text element may carry. */
export const RICH_TEXT_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
	heading: ['level'],
	orderedList: ['start', 'type'],
	taskItem: ['checked']
};

/** Text formatting (Tiptap marks) and the attributes of each. */
export const RICH_TEXT_MARKS: Readonly<Record<string, readonly string[]>> = {
	bold: [],
	italic: [],
	strike: [],
	underline: [],
	link: ['href', 'target', 'rel', 'class', 'title']
};

/** Link targets a plan may hold: the web, e-mail and phone numbers (never `javascript:` or `data:`). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what a link target must not hold
export const LINK_HREF = /^(https?:\/\/|mailto:|tel:)[^\u0000-\u001f]*$/i;

/** How deeply types may nest (rich text: about 18 levels of nested lists). */
export const MAX_TYPE_DEPTH = 40;

/** Structs (runs of content) one change may bring: a long pasted document is a few hundred to a few thousand. */
export const MAX_STRUCTS_PER_CHANGE = 10_000;

/** Longest attribute, formatting or field value, in characters. */
export const MAX_VALUE_LENGTH = 4_096;

const DATE_OR_EMPTY = /^(\d{4}-\d{2}-\d{2})?$/;
const ITEM_ID = /^[A-Za-z0-9_-]{1,64}$/;
const oneOf = (values: readonly string[]) => (value: unknown) => typeof value === 'string' && values.includes(value);

/** A scalar field of a goal or step map, and which values it may hold. */
type FieldCheck = (value: unknown) => boolean;

/** Goal map keys: scalar fields with their checks, and the keys that hold a type. */
export const GOAL_FIELDS: Readonly<Record<string, FieldCheck>> = {
	id: (value) => typeof value === 'string' && ITEM_ID.test(value),
	domain: oneOf(CHIME_DOMAINS),
	status: oneOf(GOAL_STATUSES),
	targetDate: (value) => typeof value === 'string' && DATE_OR_EMPTY.test(value),
	order: (value) => typeof value === 'number' && Number.isFinite(value)
};
export const GOAL_TYPES = { text: 'text', steps: 'steps' } as const;

export const STEP_FIELDS: Readonly<Record<string, FieldCheck>> = {
	id: (value) => typeof value === 'string' && ITEM_ID.test(value),
	who: oneOf(STEP_OWNERS),
	byWhen: (value) => typeof value === 'string' && DATE_OR_EMPTY.test(value),
	done: (value) => typeof value === 'boolean'
};
export const STEP_TYPES = { what: 'text' } as const;

/** True for text PostgreSQL can store and that is not absurdly long for its place. */
export function isStorableText(value: string, maxLength = Number.POSITIVE_INFINITY): boolean {
	return value.length <= maxLength && !value.includes('\u0000');
}
