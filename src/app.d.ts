import type { Session } from '$db/schema';
import type { SessionUser } from '$db/session';

declare global {
	namespace App {
		interface Locals {
			user: SessionUser | null;
			session: Session | null;
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
