import type { SubmitFunction } from '@sveltejs/kit';

/**
 * A form's submission in progress, for `use:enhance`: its button can say "…" and cannot be pressed twice,
 * and what was typed stays in the form when the answer is an error.
 */
export class Submission {
	active = $state(false);

	readonly enhance: SubmitFunction = () => {
		this.active = true;
		return async ({ update }) => {
			await update({ reset: false });
			this.active = false;
		};
	};
}
