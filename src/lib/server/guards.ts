import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Role } from '$lib/shared/roles';
import type { SessionUser } from '$db/session';

/** The signed-in person, or a redirect to sign-in that comes back here afterwards. */
export function requireUser(event: Pick<RequestEvent, 'locals' | 'url'>): SessionUser {
	const user = event.locals.user;
	if (!user) {
		const next = event.url.pathname + event.url.search;
		redirect(303, next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`);
	}
	return user;
}

/** The signed-in person if they have one of the roles; 403 otherwise. */
export function requireRole(event: Pick<RequestEvent, 'locals' | 'url'>, ...roles: Role[]): SessionUser {
	const user = requireUser(event);
	if (!roles.includes(user.role)) error(403, { message: 'This page is not available with your account.' });
	return user;
}

/** Only same-site paths are followed after sign-in, never another site. */
export function safeNextPath(next: string | null): string {
	if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
	return next;
}
