import type { SessionUser } from '$db/session';
import { listAccountLinks } from '$db/invitations';
import { listUserSessions } from '$db/session';
import { db } from './db';

/** The account page: the person's sign-in links and sessions (which one is this device). */
export async function loadAccountPage(user: SessionUser, currentSessionId: string | null) {
	const [sessions, links] = await Promise.all([listUserSessions(db(), user.id), listAccountLinks(db(), user.id)]);
	return {
		links,
		sessions: sessions.map((session) => ({
			// The hash of the cookie's token, shown only to its owner: it names the session, it does not open it.
			id: session.id,
			current: session.id === currentSessionId,
			createdAt: session.createdAt,
			expiresAt: session.expiresAt,
			userAgent: session.userAgent
		}))
	};
}
