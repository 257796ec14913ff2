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
			/** Quoted to the person so support can find the log line. */
			errorId?: string;
		}
	}
}

export {};
