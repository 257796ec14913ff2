import { idleTimeLeftMs, recordSessionActivity } from '$db/session';
import type { SessionActivityAnswer } from '$lib/shared/session-activity';
import { db } from './db';
import { sessionLimits } from './settings';

type SignedIn = Pick<App.Locals, 'user' | 'session'>;

/** How long the signed-in person's session has left before it ends for lack of activity. */
export function sessionTimeLeft({ user, session }: SignedIn): SessionActivityAnswer {
	return { remainingMs: user && session ? idleTimeLeftMs(user.role, session.lastActiveAt, sessionLimits()) : null };
}

/** The person is still here: their session's idle time starts again (written at most once a minute). */
export async function noteSessionActivity({ user, session }: SignedIn): Promise<void> {
	if (user && session) await recordSessionActivity(db(), session);
}
