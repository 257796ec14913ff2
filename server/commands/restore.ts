import * as Y from 'yjs';
import { getLivePlans, type ServerChangeBuilder } from '../../src/lib/shared/live-plans.ts';
import { done, refused, type Outcome } from '../../src/lib/shared/outcome.ts';
import { GOALS_FIELD, PLAN_SECTIONS, sectionField, type SectionId } from '../../src/lib/shared/plan-sections.ts';
import { auditAs, type CommandContext } from './actor.ts';
import { mayChange, openPlanToChange, type PlanAccessCode } from './plan-access.ts';
import { findHistoryPoint, loadClientOwners, loadPlanDocAt } from './plan-documents.ts';

/** What to bring back: one section, or the whole plan (every section and the goals). */
export type RestoreTarget = { section: SectionId } | 'plan';

interface CopyContext {
	writeAs(personId: string): void;
	/** The person restoring: structure (paragraphs, lists, goal fields) is theirs. */
	restorer: string;
	/** Who wrote each old client id's words. */
	ownerOf(clientId: number): string | undefined;
}

/**
 * Copies text run by run, with its formatting, each run written under its original writer: a restore is the
 * restorer's change, but the words stay credited to the people who wrote them.
 */
function copyText(from: Y.Text, to: Y.Text, context: CopyContext): void {
	const attributes = new Map<string, unknown>();
	for (let item = from._start; item !== null; item = item.right) {
		if (item.deleted) continue;
		if (item.content instanceof Y.ContentFormat) {
			const { key, value } = item.content;
			if (value === null) attributes.delete(key);
			else attributes.set(key, value);
		} else if (item.content instanceof Y.ContentString) {
			context.writeAs(context.ownerOf(item.id.client) ?? context.restorer);
			to.insert(to.length, item.content.str, Object.fromEntries(attributes));
		} else if (item.content instanceof Y.ContentEmbed) {
			context.writeAs(context.restorer);
			to.insertEmbed(to.length, item.content.embed as object, Object.fromEntries(attributes));
		}
	}
	context.writeAs(context.restorer);
}

function copyXmlChildren(from: Y.XmlFragment | Y.XmlElement, to: Y.XmlFragment | Y.XmlElement, context: CopyContext): void {
	for (const child of from.toArray()) {
		context.writeAs(context.restorer);
		if (child instanceof Y.XmlText) {
			const text = new Y.XmlText();
			to.push([text]);
			copyText(child, text, context);
		} else if (child instanceof Y.XmlElement) {
			const element = new Y.XmlElement(child.nodeName);
			to.push([element]);
			for (const [key, value] of Object.entries(child.getAttributes())) element.setAttribute(key, value as string);
			copyXmlChildren(child, element, context);
		}
	}
}

function copyValue(value: unknown, context: CopyContext): { value: unknown; fill?: () => void } {
	if (value instanceof Y.Text) {
		const text = new Y.Text();
		return { value: text, fill: () => copyText(value, text, context) };
	}
	if (value instanceof Y.Map) {
		const map = new Y.Map<unknown>();
		return { value: map, fill: () => copyMap(value, map, context) };
	}
	if (value instanceof Y.Array) {
		const array = new Y.Array<unknown>();
		return { value: array, fill: () => copyArray(value, array, context) };
	}
	return { value };
}

function copyMap(from: Y.Map<unknown>, to: Y.Map<unknown>, context: CopyContext): void {
	for (const [key, original] of from.entries()) {
		context.writeAs(context.restorer);
		const copy = copyValue(original, context);
		to.set(key, copy.value);
		copy.fill?.();
	}
}

function copyArray(from: Y.Array<unknown>, to: Y.Array<unknown>, context: CopyContext): void {
	for (const original of from.toArray()) {
		context.writeAs(context.restorer);
		const copy = copyValue(original, context);
		to.push([copy.value]);
		copy.fill?.();
	}
}

const sameContent = (a: { toJSON(): unknown }, b: { toJSON(): unknown }) => JSON.stringify(a.toJSON()) === JSON.stringify(b.toJSON());

/**
 * A change that makes the target as it was in `version`: what is there now is removed (by the restorer) and the old
 * content written again. Parts that are already the same are left alone, so the history shows only real changes.
 */
export function restoreChange(version: Y.Doc, owners: Map<number, string>, restorer: string, target: RestoreTarget): ServerChangeBuilder {
	return (draft, writeAs) => {
		const context: CopyContext = { writeAs, restorer, ownerOf: (clientId) => owners.get(clientId) };
		const sections = target === 'plan' ? PLAN_SECTIONS.map((section) => section.id) : [target.section];
		for (const id of sections) {
			const old = version.getXmlFragment(sectionField(id));
			const current = draft.getXmlFragment(sectionField(id));
			if (sameContent(old, current)) continue;
			draft.transact(() => {
				writeAs(restorer);
				current.delete(0, current.length);
				copyXmlChildren(old, current, context);
			});
		}
		if (target !== 'plan') return;
		const oldGoals = version.getArray<unknown>(GOALS_FIELD);
		const goals = draft.getArray<unknown>(GOALS_FIELD);
		if (sameContent(oldGoals, goals)) return;
		draft.transact(() => {
			writeAs(restorer);
			restoreGoals(oldGoals, goals, context);
		});
	};
}

const contentOf = (value: unknown): string => JSON.stringify(value instanceof Y.AbstractType ? value.toJSON() : value);

/**
 * Goal by goal: goals already as they were are left alone, the others are removed and the old ones written again.
 * Where a goal shows comes from its domain and `order`, not from its place in the array, so nothing else moves.
 */
function restoreGoals(old: Y.Array<unknown>, goals: Y.Array<unknown>, context: CopyContext): void {
	const missing = old.toArray();
	const missingContent = missing.map(contentOf);
	const current = goals.toArray();
	for (let index = current.length - 1; index >= 0; index--) {
		const same = missingContent.indexOf(contentOf(current[index]));
		if (same === -1) {
			goals.delete(index, 1);
			continue;
		}
		missing.splice(same, 1);
		missingContent.splice(same, 1);
	}
	for (const goal of missing) {
		context.writeAs(context.restorer);
		const copy = copyValue(goal, context);
		goals.push([copy.value]);
		copy.fill?.();
	}
}

/** What to bring back as sent (a section id, or `plan`) and whether it was confirmed; null when unreadable. */
export type RestoreInput = { target: unknown; confirmed: unknown } | null;

export type RestoreCode =
	PlanAccessCode | 'restore-plan-people-only' | 'version-not-found' | 'form-unreadable' | 'restore-target-missing' | 'restore-not-confirmed';

/** A restore done: `changed` false when the target was already as it was then (nothing was written). */
export interface Restored {
	code: 'plan-restored' | 'plan-restore-unchanged';
	/** `target`: `plan`, or the id of the section brought back. */
	params: { target: string };
	/** The plan's seq afterwards. */
	seq: number;
}

function readTarget(raw: unknown): RestoreTarget | null {
	if (raw === 'plan') return 'plan';
	const section = PLAN_SECTIONS.find((candidate) => candidate.id === raw);
	return section ? { section: section.id as SectionId } : null;
}

/**
 * Brings back a section, or the whole plan, as it was right after change `seq`. It is the restorer's change (it
 * shows in the history as a restore of that version), and the words stay credited to the people who wrote them.
 * The person whose plan it is and its care team do this, after confirming.
 */
export async function restoreFromHistory(context: CommandContext, planId: string, seq: number, input: RestoreInput): Promise<Outcome<Restored, RestoreCode>> {
	const opened = await openPlanToChange(context, planId, { may: mayChange, refusal: 'restore-plan-people-only' });
	if (!opened.ok) return opened;
	if (!Number.isSafeInteger(seq) || seq < 0 || !(await findHistoryPoint(context.db, planId, seq))) return refused('version-not-found');
	if (!input) return refused('form-unreadable');
	const target = readTarget(input.target);
	if (!target) return refused('restore-target-missing');
	if (input.confirmed !== 'yes') return refused('restore-not-confirmed');
	const restorer = opened.value.user.id;
	const live = getLivePlans();
	const [version, owners, before] = await Promise.all([
		loadPlanDocAt(context.db, planId, seq),
		loadClientOwners(context.db, planId),
		live.committedSeq(planId)
	]);
	let restoredAt: number;
	try {
		restoredAt = await live.changePlan(planId, restorer, restoreChange(version, owners, restorer, target), seq);
	} finally {
		version.destroy();
	}
	const changed = restoredAt > before;
	const what = target === 'plan' ? 'plan' : target.section;
	await auditAs(context, {
		action: 'plan.restored',
		targetType: 'plan',
		targetId: planId,
		detail: { fromSeq: seq, target: what, newSeq: changed ? restoredAt : null }
	});
	return done({ code: changed ? 'plan-restored' : 'plan-restore-unchanged', params: { target: what }, seq: restoredAt });
}
