import type * as Y from 'yjs';
import { changeLimitOf, textChangeBytes } from './change-limit.svelte.ts';

/** Marks transactions made by this binding, so it does not react to its own typing. */
const FROM_INPUT = Symbol('y-text-input');

/**
 * Svelte action: binds a text input or textarea to a Y.Text, both ways. Typing becomes the smallest
 * delete + insert (so untouched characters keep their author); remote changes update the field and keep the
 * person's cursor where it was in the text.
 */
export function yTextInput(node: HTMLInputElement | HTMLTextAreaElement, text: Y.Text) {
	let current = text;
	node.value = current.toString();

	const onInput = () => {
		const before = current.toString();
		const after = node.value;
		if (before === after) return;
		let start = 0;
		while (start < before.length && start < after.length && before[start] === after[start]) start++;
		let endBefore = before.length;
		let endAfter = after.length;
		while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
			endBefore--;
			endAfter--;
		}
		const inserted = after.slice(start, endAfter);
		// A change the plan's limit refuses (too large, or the plan cannot be saved now) is undone in the field.
		const limit = changeLimitOf(current.doc);
		if (limit && !limit.allows(textChangeBytes(inserted))) {
			node.value = before;
			node.setSelectionRange(start, start);
			return;
		}
		current.doc?.transact(() => {
			if (endBefore > start) current.delete(start, endBefore - start);
			if (inserted) current.insert(start, inserted);
		}, FROM_INPUT);
	};

	const onRemoteChange = (event: Y.YTextEvent, transaction: Y.Transaction) => {
		if (transaction.origin === FROM_INPUT) return;
		const focused = document.activeElement === node;
		let selectionStart = node.selectionStart ?? 0;
		let selectionEnd = node.selectionEnd ?? 0;
		let index = 0;
		for (const change of event.delta) {
			if (change.retain) index += change.retain;
			else if (typeof change.insert === 'string') {
				const length = change.insert.length;
				if (index < selectionStart) selectionStart += length;
				if (index < selectionEnd) selectionEnd += length;
				index += length;
			} else if (change.delete) {
				const removed = change.delete;
				if (index < selectionStart) selectionStart -= Math.min(removed, selectionStart - index);
				if (index < selectionEnd) selectionEnd -= Math.min(removed, selectionEnd - index);
			}
		}
		node.value = current.toString();
		if (focused) node.setSelectionRange(selectionStart, selectionEnd);
	};

	node.addEventListener('input', onInput);
	current.observe(onRemoteChange);
	return {
		update(next: Y.Text) {
			if (next === current) return;
			current.unobserve(onRemoteChange);
			current = next;
			node.value = current.toString();
			current.observe(onRemoteChange);
		},
		destroy() {
			node.removeEventListener('input', onInput);
			current.unobserve(onRemoteChange);
		}
	};
}
