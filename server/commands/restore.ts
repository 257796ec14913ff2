import * as Y from 'yjs';
import { findPlanUpdate } from '../../db/plan-history.ts';
import type { Database } from '../../db/types.ts';
import { getLivePlans, type ServerChangeBuilder } from '../../src/lib/shared/live-plans.ts';
import { done, refused, type Outcome } from '../../src/lib/shared/outcome.ts';
import { GOALS_FIELD, PLAN_SECTIONS, sectionField, type SectionId } from '../../src/lib/shared/plan-sections.ts';
import {
	partsOf,
	previewRestore,
	sameParts,
	sameSection,
	type RestoreParts,
	type RestorePreview,
	type RestoreTarget
} from '../../src/lib/shared/restore-preview.ts';
import type { RestoredPart } from '../../src/lib/shared/plan-notices.ts';
import { auditAs, type CommandContext } from './actor.ts';
import { mayChange, openPlanToChange, type PlanAccessCode } from './plan-access.ts';
import { findHistoryPoint, loadClientOwners, loadPlanDocAt } from './plan-documents.ts';

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
 * A change that makes the parts as they were in `version`: what is there now is removed (by the restorer) and the
 * old content written again. Parts that are already the same are left alone, so the history shows only real changes.
 */
export function restoreChange(version: Y.Doc, owners: Map<number, string>, restorer: string, target: RestoreTarget | RestoreParts): ServerChangeBuilder {
	const parts = target === 'plan' || 'section' in target ? partsOf(target) : target;
	return (draft, writeAs) => {
		const context: CopyContext = { writeAs, restorer, ownerOf: (clientId) => owners.get(clientId) };
		for (const id of parts.sections) {
			const old = version.getXmlFragment(sectionField(id));
			const current = draft.getXmlFragment(sectionField(id));
			if (sameSection(old, current)) continue;
			draft.transact(() => {
				writeAs(restorer);
				current.delete(0, current.length);
				copyXmlChildren(old, current, context);
			});
		}
		if (!parts.goals) return;
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

/**
 * What to bring back as sent (a section id, or `plan`), whether it was confirmed, and the fingerprint of what the
 * person was shown as being there now (a restore that removes words must match it); null when unreadable.
 */
export type RestoreInput = { target: unknown; confirmed: unknown; seen?: unknown } | null;

export type RestoreCode =
	| PlanAccessCode
	| 'restore-plan-people-only'
	| 'version-not-found'
	| 'form-unreadable'
	| 'restore-target-missing'
	| 'restore-not-confirmed'
	| 'restore-no-change'
	| 'restore-preview-outdated';

/** A restore done. */
export interface Restored {
	code: 'plan-restored';
	/** `target`: `plan`, or the id of the section brought back. */
	params: { target: string };
	/** The seq of the restore. */
	seq: number;
}

function readTarget(raw: unknown): RestoreTarget | null {
	if (raw === 'plan') return 'plan';
	const section = PLAN_SECTIONS.find((candidate) => candidate.id === raw);
	return section ? { section: section.id as SectionId } : null;
}

const nameOf = (target: RestoreTarget): RestoredPart => (target === 'plan' ? 'plan' : target.section);

type Checked<C> = { refusal: C } | { seq: number };

/**
 * Applies `change` to the plan's live document only if `check` (run on the live state, just before) lets it:
 * resolves with the refusal, or with the seq the change was committed at.
 */
async function changeIfAllowed<C extends string>(
	planId: string,
	madeBy: string,
	check: (current: Y.Doc) => C | null,
	change: ServerChangeBuilder,
	restoredFrom: number
): Promise<Checked<C>> {
	let refusal: C | null = null;
	const seq = await getLivePlans().changePlan(
		planId,
		madeBy,
		(draft, writeAs) => {
			refusal = check(draft);
			if (refusal === null) change(draft, writeAs);
		},
		restoredFrom
	);
	return refusal === null ? { seq } : { refusal };
}

/**
 * Brings back a section, or the whole plan, as it was right after change `seq`. It is the restorer's change (it
 * shows in the history as a restore of that version), and the words stay credited to the people who wrote them.
 * The person whose plan it is and its care team do this, after confirming. Refused when it would change nothing,
 * and when it would remove words and the plan is no longer as the person was shown (`seen`): nobody's words go
 * without the restorer having seen them go. Everyone in the plan is told, live.
 */
export async function restoreFromHistory(context: CommandContext, planId: string, seq: number, input: RestoreInput): Promise<Outcome<Restored, RestoreCode>> {
	const opened = await openPlanToChange(context, planId, { may: mayChange, refusal: 'restore-plan-people-only' });
	if (!opened.ok) return opened;
	if (!Number.isSafeInteger(seq) || seq < 0 || !(await findHistoryPoint(context.db, planId, seq))) return refused('version-not-found');
	if (!input) return refused('form-unreadable');
	const target = readTarget(input.target);
	if (!target) return refused('restore-target-missing');
	if (input.confirmed !== 'yes') return refused('restore-not-confirmed');
	const { user } = opened.value;
	const [version, owners] = await Promise.all([loadPlanDocAt(context.db, planId, seq), loadClientOwners(context.db, planId)]);
	const what = nameOf(target);
	let outcome: Checked<'restore-no-change' | 'restore-preview-outdated'>;
	try {
		outcome = await changeIfAllowed(
			planId,
			user.id,
			(current) => {
				const preview = previewRestore(version, current, partsOf(target), (clientId) => owners.get(clientId));
				if (preview.same) return 'restore-no-change';
				if (preview.removes && input.seen !== preview.fingerprint) return 'restore-preview-outdated';
				return null;
			},
			restoreChange(version, owners, user.id, target),
			seq
		);
	} finally {
		version.destroy();
	}
	if ('refusal' in outcome) return refused(outcome.refusal, { target: what });
	await auditAs(context, { action: 'plan.restored', targetType: 'plan', targetId: planId, detail: { fromSeq: seq, target: what, newSeq: outcome.seq } });
	getLivePlans().announce(planId, {
		code: 'plan-restored',
		params: { by: { id: user.id, name: user.displayName }, target: what, fromSeq: seq, seq: outcome.seq }
	});
	return done({ code: 'plan-restored', params: { target: what }, seq: outcome.seq });
}

export type UndoCode = PlanAccessCode | 'restore-plan-people-only' | 'restore-undo-not-a-restore' | 'restore-undo-not-yours' | 'restore-undo-outdated';

/** The parts a logged restore changed, from its stored summary. */
function partsChangedBy(summary: { sections: Record<string, unknown>; goals: { added: string[]; changed: string[]; removed: string[] } }): RestoreParts {
	const sections = PLAN_SECTIONS.map((section) => section.id).filter((id) => id in summary.sections);
	const { added, changed, removed } = summary.goals;
	return { sections, goals: 'goals' in summary.sections || added.length + changed.length + removed.length > 0 };
}

/** How a restore of these parts is named: the section, or `plan` for more than one part. */
const partName = (parts: RestoreParts): RestoredPart => (parts.goals || parts.sections.length !== 1 ? 'plan' : (parts.sections[0] ?? 'plan'));

/**
 * Undoes the restore logged as change `restoreSeq`: what it changed is brought back as it was just before. The
 * person whose plan it is may undo any restore, others only their own; refused once someone has changed those parts
 * since (the history still has every version to bring back). The undo is itself a restore, under the undoer's name.
 */
export async function undoRestore(
	context: CommandContext,
	planId: string,
	restoreSeq: number
): Promise<Outcome<{ code: 'restore-undone'; params: { target: string }; seq: number }, UndoCode>> {
	const opened = await openPlanToChange(context, planId, { may: mayChange, refusal: 'restore-plan-people-only' });
	if (!opened.ok) return opened;
	const { user } = opened.value;
	const change = Number.isSafeInteger(restoreSeq) && restoreSeq > 0 ? await findPlanUpdate(context.db, planId, restoreSeq) : null;
	if (!change?.summary || change.summary.restoredFrom === undefined) return refused('restore-undo-not-a-restore');
	if (user.role !== 'service_user' && change.userId !== user.id) return refused('restore-undo-not-yours');
	const parts = partsChangedBy(change.summary);
	const what = partName(parts);
	const [before, after, owners] = await Promise.all([
		loadPlanDocAt(context.db, planId, restoreSeq - 1),
		loadPlanDocAt(context.db, planId, restoreSeq),
		loadClientOwners(context.db, planId)
	]);
	let outcome: Checked<'restore-undo-outdated'>;
	try {
		outcome = await changeIfAllowed(
			planId,
			user.id,
			(current) => (sameParts(current, after, parts) && !sameParts(current, before, parts) ? null : 'restore-undo-outdated'),
			restoreChange(before, owners, user.id, parts),
			restoreSeq - 1
		);
	} finally {
		before.destroy();
		after.destroy();
	}
	if ('refusal' in outcome) return refused(outcome.refusal, { target: what });
	await auditAs(context, {
		action: 'plan.restored',
		targetType: 'plan',
		targetId: planId,
		detail: { fromSeq: restoreSeq - 1, target: what, newSeq: outcome.seq, undoes: restoreSeq }
	});
	getLivePlans().announce(planId, {
		code: 'restore-undone',
		params: { by: { id: user.id, name: user.displayName }, target: what, undoneSeq: restoreSeq, seq: outcome.seq }
	});
	return done({ code: 'restore-undone', params: { target: what }, seq: outcome.seq });
}

/** What bringing back each part of the version at `seq` would do now, and whether that version is a restore one may undo. */
export interface RestoreOffers {
	/** Per section id, and `plan` for the whole plan. */
	previews: Record<RestoredPart, RestorePreview>;
	/** Set when change `seq` is a restore `viewer` may undo and nobody has changed what it brought back since. */
	undo: { target: RestoredPart } | null;
}

/** Reads what the page shows before anyone confirms a restore (see restoreFromHistory for the rules it previews). */
export async function restoreOffers(db: Database, planId: string, seq: number, viewer: { id: string; role: string }): Promise<RestoreOffers> {
	const latest = await getLivePlans().committedSeq(planId);
	const [version, current, owners, change] = await Promise.all([
		loadPlanDocAt(db, planId, seq),
		loadPlanDocAt(db, planId, latest),
		loadClientOwners(db, planId),
		seq > 0 ? findPlanUpdate(db, planId, seq) : null
	]);
	try {
		const ownerOf = (clientId: number) => owners.get(clientId);
		const previews = {} as Record<RestoredPart, RestorePreview>;
		for (const section of PLAN_SECTIONS) previews[section.id] = previewRestore(version, current, partsOf({ section: section.id }), ownerOf);
		previews.plan = previewRestore(version, current, partsOf('plan'), ownerOf);
		let undo: RestoreOffers['undo'] = null;
		if (change?.summary && change.summary.restoredFrom !== undefined && (viewer.role === 'service_user' || change.userId === viewer.id)) {
			const parts = partsChangedBy(change.summary);
			if (sameParts(current, version, parts)) undo = { target: partName(parts) };
		}
		return { previews, undo };
	} finally {
		version.destroy();
		current.destroy();
	}
}
