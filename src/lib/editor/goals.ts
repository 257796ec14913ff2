import * as Y from 'yjs';
import { CHIME_DOMAINS, GOALS_FIELD, GOAL_STATUSES, STEP_OWNERS, type ChimeDomain, type GoalStatus, type StepOwner } from '../shared/plan-sections.ts';

/**
 * Goals live in the plan's Y.Doc as a Y.Array of Y.Maps, so they co-edit live like the text. The words of a goal
 * and of each step are Y.Text, so every character keeps its author. Order is a number per goal (reordering
 * changes numbers, never re-creates a goal, which would re-attribute its words to the mover).
 */
export interface StepView {
	id: string;
	what: Y.Text;
	who: StepOwner;
	byWhen: string;
	done: boolean;
}

export interface GoalView {
	id: string;
	domain: ChimeDomain;
	text: Y.Text;
	status: GoalStatus;
	targetDate: string;
	order: number;
	steps: StepView[];
}

export type GoalField = 'status' | 'targetDate';
export type StepField = 'who' | 'byWhen' | 'done';

export function goalsOf(doc: Y.Doc): Y.Array<Y.Map<unknown>> {
	return doc.getArray<Y.Map<unknown>>(GOALS_FIELD);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const oneOf = <T extends string>(values: readonly T[], value: unknown, fallback: T): T =>
	typeof value === 'string' && (values as readonly string[]).includes(value) ? (value as T) : fallback;
const dateOrEmpty = (value: unknown): string => (typeof value === 'string' && DATE.test(value) ? value : '');

function readStep(map: Y.Map<unknown>): StepView | null {
	const what = map.get('what');
	const id = map.get('id');
	if (!(what instanceof Y.Text) || typeof id !== 'string') return null;
	return { id, what, who: oneOf(STEP_OWNERS, map.get('who'), 'me'), byWhen: dateOrEmpty(map.get('byWhen')), done: map.get('done') === true };
}

/**
 * The goals as plain views, sorted by domain and order. Anything a peer wrote that does not fit the shape
 * is read as a safe default or skipped, never trusted.
 */
export function readGoals(doc: Y.Doc): GoalView[] {
	const goals: GoalView[] = [];
	for (const map of goalsOf(doc)) {
		if (!(map instanceof Y.Map)) continue;
		const text = map.get('text');
		const id = map.get('id');
		if (!(text instanceof Y.Text) || typeof id !== 'string') continue;
		const steps = map.get('steps');
		const order = map.get('order');
		goals.push({
			id,
			domain: oneOf(CHIME_DOMAINS, map.get('domain'), 'empowerment'),
			text,
			status: oneOf(GOAL_STATUSES, map.get('status'), 'proposed'),
			targetDate: dateOrEmpty(map.get('targetDate')),
			order: typeof order === 'number' && Number.isFinite(order) ? order : 0,
			steps: steps instanceof Y.Array ? steps.toArray().flatMap((step) => (step instanceof Y.Map ? (readStep(step) ?? []) : [])) : []
		});
	}
	return goals.sort((a, b) => CHIME_DOMAINS.indexOf(a.domain) - CHIME_DOMAINS.indexOf(b.domain) || a.order - b.order || a.id.localeCompare(b.id));
}

function findGoal(doc: Y.Doc, goalId: string): Y.Map<unknown> | null {
	for (const map of goalsOf(doc)) if (map instanceof Y.Map && map.get('id') === goalId) return map;
	return null;
}

function findStep(doc: Y.Doc, goalId: string, stepId: string): Y.Map<unknown> | null {
	const steps = findGoal(doc, goalId)?.get('steps');
	if (!(steps instanceof Y.Array)) return null;
	for (const step of steps) if (step instanceof Y.Map && step.get('id') === stepId) return step;
	return null;
}

/** Adds a goal at the end of a domain. @returns its id. */
export function addGoal(doc: Y.Doc, domain: ChimeDomain, words = ''): string {
	const id = crypto.randomUUID();
	doc.transact(() => {
		const last = readGoals(doc)
			.filter((goal) => goal.domain === domain)
			.at(-1);
		const goal = new Y.Map<unknown>();
		const text = new Y.Text();
		if (words) text.insert(0, words);
		goal.set('id', id);
		goal.set('domain', domain);
		goal.set('text', text);
		goal.set('status', 'proposed');
		goal.set('targetDate', '');
		goal.set('order', (last?.order ?? 0) + 1);
		goal.set('steps', new Y.Array());
		goalsOf(doc).push([goal]);
	});
	return id;
}

export function setGoalField(doc: Y.Doc, goalId: string, field: GoalField, value: string): void {
	const goal = findGoal(doc, goalId);
	if (!goal) return;
	if (field === 'status') goal.set('status', oneOf(GOAL_STATUSES, value, 'proposed'));
	else goal.set('targetDate', dateOrEmpty(value));
}

/** Moves a goal up (-1) or down (+1) within its domain by swapping order numbers with its neighbour. */
export function moveGoal(doc: Y.Doc, goalId: string, direction: -1 | 1): void {
	doc.transact(() => {
		const goals = readGoals(doc);
		const goal = goals.find((candidate) => candidate.id === goalId);
		if (!goal) return;
		const siblings = goals.filter((candidate) => candidate.domain === goal.domain);
		const index = siblings.indexOf(goal);
		const neighbour = siblings[index + direction];
		if (!neighbour) return;
		// Equal order numbers (two people adding at once) are separated first, so a swap always moves.
		siblings.forEach((sibling, position) => findGoal(doc, sibling.id)?.set('order', position + 1));
		findGoal(doc, goal.id)?.set('order', index + direction + 1);
		findGoal(doc, neighbour.id)?.set('order', index + 1);
	});
}

export function removeGoal(doc: Y.Doc, goalId: string): void {
	const goals = goalsOf(doc);
	const index = goals.toArray().findIndex((map) => map instanceof Y.Map && map.get('id') === goalId);
	if (index >= 0) goals.delete(index, 1);
}

/** Adds a step to a goal. @returns its id. */
export function addStep(doc: Y.Doc, goalId: string, who: StepOwner = 'me'): string | null {
	const steps = findGoal(doc, goalId)?.get('steps');
	if (!(steps instanceof Y.Array)) return null;
	const id = crypto.randomUUID();
	doc.transact(() => {
		const step = new Y.Map<unknown>();
		step.set('id', id);
		step.set('what', new Y.Text());
		step.set('who', who);
		step.set('byWhen', '');
		step.set('done', false);
		steps.push([step]);
	});
	return id;
}

export function setStepField(doc: Y.Doc, goalId: string, stepId: string, field: StepField, value: string | boolean): void {
	const step = findStep(doc, goalId, stepId);
	if (!step) return;
	if (field === 'done') step.set('done', value === true);
	else if (field === 'who') step.set('who', oneOf(STEP_OWNERS, value, 'me'));
	else step.set('byWhen', dateOrEmpty(value));
}

/** A removed step that can still be brought back. */
export interface StepRemoval {
	/** Puts the step back where it was, with what it said, who and when. @returns whether it came back. */
	undo(): boolean;
	/** Gives up the chance to undo (frees what keeps it). */
	forget(): void;
}

/**
 * Removes a step so that it can be brought back. Yjs re-creates undone content as new items of this client, so the
 * words of a step brought back count as written by whoever undid the removal (as with undo in the section editors).
 * Only this removal is undone, never anyone's changes since.
 */
export function removeStep(doc: Y.Doc, goalId: string, stepId: string): StepRemoval | null {
	const steps = findGoal(doc, goalId)?.get('steps');
	if (!(steps instanceof Y.Array)) return null;
	const index = steps.toArray().findIndex((step) => step instanceof Y.Map && step.get('id') === stepId);
	if (index < 0) return null;
	const origin = Symbol('remove-step');
	const undoManager = new Y.UndoManager(steps, { trackedOrigins: new Set([origin]), captureTimeout: 0 });
	doc.transact(() => steps.delete(index, 1), origin);
	return {
		undo() {
			const undone = undoManager.undo() !== null;
			undoManager.destroy();
			return undone;
		},
		forget: () => undoManager.destroy()
	};
}
