import type { Session } from '$db/schema';
import type { SessionRefusal, SessionUser } from '$db/session';
import type { SessionStanding } from '$lib/shared/sign-in-policy';

declare global {
	namespace App {
		interface Locals {
			user: SessionUser | null;
			/** The session of this request: complete (with `user`) or waiting for its second factor (`pendingSignIn`). */
			session: Session | null;
			/** Password given, second factor to use or set up: such a session reaches only those steps. */
			pendingSignIn: { user: SessionUser; standing: Exclude<SessionStanding, 'complete'>; secondFactorResetAt: Date | null } | null;
			/** Why the session in the cookie no longer counts (it has been removed), so sign-in can say so. */
			sessionEnded: SessionRefusal | null;
		}
		interface Error {
			message: string;
			/** The refusal's code, when a page was refused for a known reason: the error page names it in its heading. */
			code?: string;
			/** Quoted to the person so support can find the log line. */
			errorId?: string;
		}
	}
}

export {};
