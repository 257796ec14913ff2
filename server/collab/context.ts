import type { CollabConnection } from './connection.ts';

/**
 * Whether changes are made together or alone, stored with each change (`joint` / `solo`): joint while an
 * appointment runs, or while the person whose plan it is and a professional are both connected.
 */
export class ChangeContext {
	/** An appointment is running: every change is `joint`. */
	appointmentRunning = false;

	/** The context of changes committed now, with these people connected. */
	of(connections: Iterable<CollabConnection>): 'joint' | 'solo' {
		if (this.appointmentRunning) return 'joint';
		let serviceUser = false;
		let professional = false;
		for (const connection of connections) {
			if (connection.identity.user.role === 'service_user') serviceUser = true;
			if (connection.identity.user.role === 'professional') professional = true;
		}
		return serviceUser && professional ? 'joint' : 'solo';
	}
}
