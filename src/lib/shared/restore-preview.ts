import * as Y from 'yjs';
import { m } from '../paraglide/messages.js';
import { GOALS_FIELD, PLAN_SECTIONS, sectionField, type SectionId } from './plan-sections.ts';

/** What to bring back: one section, or the whole plan (every section and the goals). */
export type RestoreTarget = { section: SectionId } | 'plan';

/** The parts of a plan a restore writes: some sections, and perhaps the goals. */
export interface RestoreParts {
	sections: SectionId[];
	goals: boolean;
}

export function partsOf(target: RestoreTarget): RestoreParts {
	return target === 'plan' ? { sections: PLAN_SECTIONS.map((section) => section.id), goals: true } : { sections: [target.section], goals: false };
}

/** A line of a section (a paragraph, heading or list item) and who wrote its words. */
export interface PreviewLine {
	text: string;
	/** Ids of the people whose words are on this line. */
	writers: string[];
}

/** What a restore would do to one part: the lines it removes and the lines it brings back. */
export interface PartPreview {
	part: SectionId | 'goals';
	removed: PreviewLine[];
	added: PreviewLine[];
	/** It has words now and would have none afterwards. */
	empties: boolean;
}

export interface RestorePreview {
	/** Nothing would change. */
	same: boolean;
	/** Only the parts that would change. */
	parts: PartPreview[];
	/** Some words or goals there now would go. */
	removes: boolean;
	/** Ids of the people whose words would go. */
	removesWordsOf: string[];
	/** A section (or the goals) with words now would be empty afterwards. */
	empties: boolean;
	/** Of what the target holds now: a restore that removes anything must name it (see restoreFingerprint). */
	fingerprint: string;
}

type OwnerOf = (clientId: number) => string | undefined;

/** The lines of a rich-text part: one per paragraph or heading (list items included), with their writers. */
function linesOf(parent: Y.XmlFragment | Y.XmlElement, ownerOf: OwnerOf, out: PreviewLine[] = []): PreviewLine[] {
	for (const child of parent.toArray()) {
		if (child instanceof Y.XmlText) {
			out.push(lineOf([child], ownerOf));
		} else if (child instanceof Y.XmlElement) {
			if (child.nodeName === 'paragraph' || child.nodeName === 'heading') {
				out.push(
					lineOf(
						child.toArray().filter((node): node is Y.XmlText => node instanceof Y.XmlText),
						ownerOf
					)
				);
			} else {
				linesOf(child, ownerOf, out);
			}
		}
	}
	return out;
}

function lineOf(texts: Y.XmlText[], ownerOf: OwnerOf): PreviewLine {
	let text = '';
	const writers = new Set<string>();
	for (const node of texts) {
		for (let item = node._start; item !== null; item = item.right) {
			if (item.deleted || !(item.content instanceof Y.ContentString)) continue;
			text += item.content.str;
			const writer = ownerOf(item.id.client);
			if (writer && item.content.str.trim() !== '') writers.add(writer);
		}
	}
	return { text, writers: [...writers] };
}

const nonEmpty = (lines: PreviewLine[]) => lines.filter((line) => line.text.trim() !== '');

/** Each goal as a line: its words, then its steps (in the language of the one reading the preview). */
function goalLines(goals: Y.Array<unknown>, ownerOf: OwnerOf): { key: string; line: PreviewLine }[] {
	return goals.toArray().flatMap((goal) => {
		if (!(goal instanceof Y.Map)) return [];
		const texts: Y.Text[] = [];
		const text = goal.get('text');
		if (text instanceof Y.Text) texts.push(text);
		const steps = goal.get('steps');
		if (steps instanceof Y.Array)
			for (const step of steps.toArray()) if (step instanceof Y.Map && step.get('what') instanceof Y.Text) texts.push(step.get('what'));
		const writers = new Set<string>();
		const words: string[] = [];
		for (const part of texts) {
			words.push(part.toString());
			for (let item = part._start; item !== null; item = item.right) {
				const writer = !item.deleted && item.content instanceof Y.ContentString ? ownerOf(item.id.client) : undefined;
				if (writer) writers.add(writer);
			}
		}
		const [goalText = '', ...stepTexts] = words;
		const shown = stepTexts.length > 0 ? m.restore_goal_line_steps({ text: goalText, steps: stepTexts.join('; ') }) : m.restore_goal_line({ text: goalText });
		return [{ key: JSON.stringify(goal.toJSON()), line: { text: shown, writers: [...writers] } }];
	});
}

/** Lines of `before` not in `after` and of `after` not in `before`, in order (a longest-common-subsequence diff). */
function diffLines(before: PreviewLine[], after: PreviewLine[]): { removed: PreviewLine[]; added: PreviewLine[] } {
	const n = before.length;
	const m = after.length;
	if (n * m > 250_000) return { removed: before, added: after };
	const a = before.map((line) => line.text);
	const b = after.map((line) => line.text);
	// common[i * (m + 1) + j]: the longest common run of lines of a[i..] and b[j..].
	const common = new Uint32Array((n + 1) * (m + 1));
	const at = (i: number, j: number) => common[i * (m + 1) + j] ?? 0;
	for (let i = n - 1; i >= 0; i--)
		for (let j = m - 1; j >= 0; j--) common[i * (m + 1) + j] = a[i] === b[j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
	const removed: PreviewLine[] = [];
	const added: PreviewLine[] = [];
	let i = 0;
	let j = 0;
	while (i < n && j < m) {
		if (a[i] === b[j]) {
			i++;
			j++;
		} else if (at(i + 1, j) >= at(i, j + 1)) removed.push(before[i++]!);
		else added.push(after[j++]!);
	}
	return { removed: [...removed, ...before.slice(i)], added: [...added, ...after.slice(j)] };
}

const contentOf = (type: { toJSON(): unknown }) => JSON.stringify(type.toJSON());

/** FNV-1a of a string, as hex: enough to tell "what you saw" from "what is there now". */
function hash(text: string): string {
	let h = 0x811c9dc5;
	for (let index = 0; index < text.length; index++) {
		h ^= text.charCodeAt(index);
		h = Math.imul(h, 0x01000193);
	}
	return `${(h >>> 0).toString(16)}-${text.length}`;
}

/**
 * What a section holds, for telling whether two are the same: a section without words is empty however many empty
 * paragraphs it has (an open editor writes one into an emptied section).
 */
function sectionContent(fragment: Y.XmlFragment): string {
	return nonEmpty(linesOf(fragment, () => undefined)).length === 0 ? '' : contentOf(fragment);
}

/** True when two sections hold the same (see sectionContent). */
export function sameSection(a: Y.XmlFragment, b: Y.XmlFragment): boolean {
	return sectionContent(a) === sectionContent(b);
}

/** A short fingerprint of what the parts hold in `doc` now. */
export function restoreFingerprint(doc: Y.Doc, parts: RestoreParts): string {
	const contents = parts.sections.map((id) => contentOf(doc.getXmlFragment(sectionField(id))));
	if (parts.goals) contents.push(contentOf(doc.getArray(GOALS_FIELD)));
	return hash(contents.join('\u0000'));
}

/** True when the parts hold the same in both documents. */
export function sameParts(a: Y.Doc, b: Y.Doc, parts: RestoreParts): boolean {
	if (parts.sections.some((id) => !sameSection(a.getXmlFragment(sectionField(id)), b.getXmlFragment(sectionField(id))))) return false;
	return !parts.goals || contentOf(a.getArray(GOALS_FIELD)) === contentOf(b.getArray(GOALS_FIELD));
}

/**
 * What bringing back `parts` as they are in `version` would do to `current`: per part, the lines removed and added,
 * whose words go, whether a part is left empty. Used by the page (to show it before anyone confirms) and by the
 * restore command (to refuse a restore that changes nothing, or removes words the person did not see go).
 */
export function previewRestore(version: Y.Doc, current: Y.Doc, parts: RestoreParts, ownerOf: OwnerOf): RestorePreview {
	const previews: PartPreview[] = [];
	for (const id of parts.sections) {
		const old = version.getXmlFragment(sectionField(id));
		const now = current.getXmlFragment(sectionField(id));
		if (sameSection(old, now)) continue;
		const before = nonEmpty(linesOf(now, ownerOf));
		const after = nonEmpty(linesOf(old, ownerOf));
		const { removed, added } = diffLines(before, after);
		previews.push({ part: id, removed, added, empties: before.length > 0 && after.length === 0 });
	}
	if (parts.goals) {
		const old = goalLines(version.getArray(GOALS_FIELD), ownerOf);
		const now = goalLines(current.getArray(GOALS_FIELD), ownerOf);
		const oldKeys = old.map((goal) => goal.key);
		const nowKeys = now.map((goal) => goal.key);
		const removed = now.filter((goal) => !oldKeys.includes(goal.key)).map((goal) => goal.line);
		const added = old.filter((goal) => !nowKeys.includes(goal.key)).map((goal) => goal.line);
		if (removed.length > 0 || added.length > 0) previews.push({ part: 'goals', removed, added, empties: now.length > 0 && old.length === 0 });
	}
	const removedLines = previews.flatMap((preview) => preview.removed);
	// A change inside a line (a word fixed) shows as that line removed and added again; a part whose lines are only
	// reordered or reformatted removes no words but still changes.
	return {
		same: previews.length === 0,
		parts: previews,
		removes: removedLines.length > 0,
		removesWordsOf: [...new Set(removedLines.flatMap((line) => line.writers))],
		empties: previews.some((preview) => preview.empties),
		fingerprint: restoreFingerprint(current, parts)
	};
}

/** A preview as a page shows it: lines as text, and the names of whose words go. */
export interface RestorePreviewView {
	same: boolean;
	empties: boolean;
	/** The fingerprint the form sends back (`seen`): the restore is refused if the plan changed meanwhile. */
	fingerprint: string;
	/** Names of the people whose words would be removed; `ownersWords`: among them, the person whose plan it is. */
	removesWordsOf: string[];
	ownersWords: boolean;
	parts: { part: SectionId | 'goals'; removed: string[]; added: string[]; empties: boolean }[];
}
