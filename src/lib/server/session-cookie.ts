import type { RequestEvent } from '@sveltejs/kit';
import { SESSION_COOKIE } from '$db/session';

/** Sets the session cookie: HttpOnly, SameSite=Lax, Path=/, Secure whenever the app is served over https. */
export function setSessionCookie(event: RequestEvent, token: string, expiresAt: Date): void {
	event.cookies.set(SESSION_COOKIE, token, {
		httpOnly: true,
		sameSite: 'lax',
		path: '/',
		secure: event.url.protocol === 'https:',
		expires: expiresAt
	});
}

export function deleteSessionCookie(event: RequestEvent): void {
	event.cookies.delete(SESSION_COOKIE, {
		httpOnly: true,
		sameSite: 'lax',
		path: '/',
		secure: event.url.protocol === 'https:'
	});
}
