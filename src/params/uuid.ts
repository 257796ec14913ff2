import type { ParamMatcher } from '@sveltejs/kit';
import { isUuid } from '$lib/shared/validation';

export const match: ParamMatcher = (param) => isUuid(param);
