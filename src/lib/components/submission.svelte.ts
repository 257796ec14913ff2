import type { SubmitFunction } from '@sveltejs/kit';

/**
 * A form's submission in progress, for `use:enhance`: its button can say "…" and cannot be pressed twice (the
 * server also carries out each rendered form once: RequestKey.svelte), and what was typed stays in the form when the
 * answer is an error. `clearOnSuccess` empties the form after a success, for forms that create something.
 */
export class Submission {
	active = $state(false);
	readonly #clearOnSuccess: boolean;
	readonly #after: (() => void) | undefined;

	constructor(options: { clearOnSuccess?: boolean; after?: () => void } = {}) {
		this.#clearOnSuccess = options.clearOnSuccess ?? false;
		this.#after = options.after;
	}

	readonly enhance: SubmitFunction = () => {
		this.active = true;
		return async ({ result, update }) => {
			try {
				await update({ reset: this.#clearOnSuccess && result.type === 'success' });
			} finally {
				this.active = false;
			}
			this.#after?.();
		};
	};
}
