import type { Fragment, Mark, Node as ProseMirrorNode } from '@tiptap/pm/model';
import { AddMarkStep, RemoveMarkStep, ReplaceAroundStep, ReplaceStep, type Step } from '@tiptap/pm/transform';
import type * as Y from 'yjs';
import { MAX_UNSAVED_BYTES } from '../shared/collab-protocol.ts';

/** A change the page refused to make, for the message that says so. */
export interface RefusedChange {
	/** About how large it would have been, in bytes. */
	bytes: number;
}

/**
 * What a plan page lets people change, shared by every editor of one Y.Doc: nothing while the plan cannot be saved
 * (`accepting` false), and no change that would take the unsaved changes past what the server accepts in one
 * message (MAX_UNSAVED_BYTES). Unsaved changes all travel in one message when a connection starts, so a change
 * that fits alone can still be refused while earlier ones wait for a connection. The editors ask before they apply
 * a change (section editors in a ProseMirror filter, goal fields in their input handler), so a refused change
 * never reaches the document, and nothing else is lost.
 */
export class ChangeLimit {
	#accepting = $state(true);
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- listeners are bookkeeping, not state
	private readonly listeners = new Set<(accepting: boolean) => void>();
	/** The last change refused, until the person dismisses the message. */
	refused = $state<RefusedChange | null>(null);
	/** Bytes of local updates since everything was last saved (an upper bound of what a catch-up would carry). */
	private unsavedBytes = 0;

	constructor(
		doc: Y.Doc,
		private readonly isOwnUpdate: (origin: unknown) => boolean,
		private readonly limit = MAX_UNSAVED_BYTES
	) {
		doc.on('update', (update: Uint8Array, origin: unknown) => {
			if (this.isOwnUpdate(origin)) this.unsavedBytes += update.byteLength;
		});
		LIMITS.set(doc, this);
	}

	/** False while the plan cannot be saved: then nothing may be changed. */
	get accepting(): boolean {
		return this.#accepting;
	}

	set accepting(accepting: boolean) {
		if (accepting === this.#accepting) return;
		this.#accepting = accepting;
		for (const listener of this.listeners) listener(accepting);
	}

	/** Calls `listener` whenever `accepting` changes (for editors outside Svelte). @returns a function that stops it. */
	onAcceptingChange(listener: (accepting: boolean) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/** Everything changed so far is committed: the next catch-up carries nothing of it. */
	saved(): void {
		this.unsavedBytes = 0;
	}

	/**
	 * May a change of about this many bytes be made? When not, the reason is recorded for the message (a change
	 * refused while the plan cannot be saved needs none: that is said already).
	 */
	allows(bytes: number): boolean {
		if (!this.accepting) return false;
		if (this.unsavedBytes + bytes <= this.limit) return true;
		this.refused = { bytes };
		return false;
	}

	dismiss(): void {
		this.refused = null;
	}
}

const LIMITS = new WeakMap<Y.Doc, ChangeLimit>();

/** The limit of a plan page's document, if the page set one (version views and tests do not). */
export function changeLimitOf(doc: Y.Doc | null | undefined): ChangeLimit | undefined {
	return doc ? LIMITS.get(doc) : undefined;
}

/** Bytes a Yjs update spends per item beyond its content (ids, origins, parent, info): a generous bound. */
const ITEM_OVERHEAD = 32;
/** Below this many ProseMirror positions a change is bounded without reading it (typing, small pastes). */
const QUICK_POSITIONS = 256;

/** Bytes of a string in UTF-8 (what Yjs stores), without encoding it. */
export function utf8Bytes(text: string): number {
	let bytes = 0;
	for (let index = 0; index < text.length; index++) {
		const unit = text.charCodeAt(index);
		if (unit < 0x80) bytes += 1;
		else if (unit < 0x800) bytes += 2;
		else if (unit >= 0xd800 && unit < 0xdc00) {
			bytes += 4;
			index += 1;
		} else bytes += 3;
	}
	return bytes;
}

/** About how many bytes a plain-text insertion costs in a Yjs update (goal fields). */
export function textChangeBytes(text: string): number {
	return ITEM_OVERHEAD + (text.length < QUICK_POSITIONS ? 3 * text.length : utf8Bytes(text));
}

function markBytes(marks: readonly Mark[]): number {
	// Each mark is a formatting item where it starts and one where it ends, with its name and attributes.
	let bytes = 0;
	for (const mark of marks) bytes += 2 * (ITEM_OVERHEAD + mark.type.name.length + JSON.stringify(mark.attrs).length);
	return bytes;
}

function nodeBytes(node: ProseMirrorNode): number {
	if (node.isText) return ITEM_OVERHEAD + utf8Bytes(node.text ?? '') + markBytes(node.marks);
	let bytes = ITEM_OVERHEAD + node.type.name.length;
	for (const [key, value] of Object.entries(node.attrs)) bytes += ITEM_OVERHEAD + key.length + JSON.stringify(value ?? null).length;
	node.content.forEach((child) => (bytes += nodeBytes(child)));
	return bytes;
}

function fragmentBytes(content: Fragment): number {
	// A position is at most one character (≤ 3 bytes of UTF-8) or one side of a node; small content is bounded at once.
	if (content.size < QUICK_POSITIONS) return ITEM_OVERHEAD * (content.size + 1) + 3 * content.size;
	let bytes = 0;
	content.forEach((child) => (bytes += nodeBytes(child)));
	return bytes;
}

/** About how many bytes a ProseMirror step costs as a Yjs update of the section it changes (an upper bound). */
export function stepBytes(step: Step, doc: ProseMirrorNode): number {
	if (step instanceof ReplaceStep || step instanceof ReplaceAroundStep) return ITEM_OVERHEAD + fragmentBytes(step.slice.content);
	if (step instanceof AddMarkStep || step instanceof RemoveMarkStep) {
		let runs = 1;
		if (step.to - step.from >= QUICK_POSITIONS) doc.nodesBetween(step.from, step.to, (node) => void (node.isText && (runs += 1)));
		return runs * markBytes([step.mark]);
	}
	return 4 * ITEM_OVERHEAD;
}
