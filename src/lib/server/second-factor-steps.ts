import type { SessionStanding } from '$lib/shared/sign-in-policy';

/** Where a person whose session waits for its second factor uses it (`verify`) or sets one up (`enrol`). */
export const SECOND_FACTOR_STEP: Record<Exclude<SessionStanding, 'complete'>, string> = {
	verify: '/login/verify',
	enrol: '/account/security'
};

/** Reachable in either state: signing out, and choosing the language of the pages. */
const ALWAYS_REACHABLE = ['/logout', '/language'];

/** True when a session in this state may reach this path: its own step (and what is under it), sign-out, language. */
export function mayReachBeforeSecondFactor(standing: Exclude<SessionStanding, 'complete'>, pathname: string): boolean {
	const path = pathname.replace(/\/__data\.json$/, '') || '/';
	return [SECOND_FACTOR_STEP[standing], ...ALWAYS_REACHABLE].some((allowed) => path === allowed || path.startsWith(`${allowed}/`));
}

/**
 * The step to send the person to, coming back to where they were going once it is done. A form action's name
 * (`?/restore`) is dropped: they come back to the page the form was on.
 */
export function secondFactorStepPath(standing: Exclude<SessionStanding, 'complete'>, url: URL): string {
	const search = new URLSearchParams();
	for (const [key, value] of url.searchParams) if (!key.startsWith('/') && !key.startsWith('x-sveltekit-')) search.append(key, value);
	const query = search.toString();
	const next = (url.pathname.replace(/\/__data\.json$/, '') || '/') + (query ? `?${query}` : '');
	const step = SECOND_FACTOR_STEP[standing];
	return next === '/' || next === step ? step : `${step}?next=${encodeURIComponent(next)}`;
}
