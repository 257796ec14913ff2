import type { ParamMatcher } from '@sveltejs/kit';

/** A version of a plan: the seq of a logged change (0 is the empty plan). */
export const match: ParamMatcher = (param) => /^\d{1,15}$/.test(param);
