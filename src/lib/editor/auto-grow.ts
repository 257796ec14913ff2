import type * as Y from 'yjs';

/**
 * Svelte action: a textarea that grows with its words, also when someone else's typing changes them. Browsers with
 * CSS `field-sizing: content` do it themselves (see the class that sets it); others get their scroll height.
 */
export function autoGrow(node: HTMLTextAreaElement, text: Y.Text) {
	if (typeof CSS !== 'undefined' && CSS.supports('field-sizing', 'content')) return {};
	let current = text;
	let frame = 0;
	const fit = () => {
		node.style.height = 'auto';
		node.style.height = `${node.scrollHeight + node.offsetHeight - node.clientHeight}px`;
	};
	// After the text binding has written the new words into the field.
	const fitSoon = () => {
		cancelAnimationFrame(frame);
		frame = requestAnimationFrame(fit);
	};
	node.addEventListener('input', fit);
	current.observe(fitSoon);
	fit();
	return {
		update(next: Y.Text) {
			current.unobserve(fitSoon);
			current = next;
			current.observe(fitSoon);
			fitSoon();
		},
		destroy() {
			cancelAnimationFrame(frame);
			node.removeEventListener('input', fit);
			current.unobserve(fitSoon);
		}
	};
}
