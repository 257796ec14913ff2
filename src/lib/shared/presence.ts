import { authorColor } from './author-colors.ts';
import type { PresenceKind, PresenceUser } from './collab-protocol.ts';
import type { Discipline, Role } from './roles.ts';

/** The presence identity of a person in a plan: the server stamps it on their carets and presence entries. */
export function presenceFor(user: { id: string; displayName: string; role: Role; discipline: Discipline | null }, readOnly: boolean): PresenceUser {
	const kind: PresenceKind =
		user.role === 'service_user'
			? 'service_user'
			: user.role === 'professional'
				? user.discipline === 'peer_worker'
					? 'peer_worker'
					: 'professional'
				: 'supervisor';
	return {
		id: user.id,
		name: user.displayName,
		kind,
		role: user.role,
		discipline: user.discipline,
		color: authorColor({ id: user.id, kind }).strong,
		readOnly
	};
}
