import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { CollabConnection } from './connection.ts';

/** How many awareness ids one connection may speak for (Yjs may change its id once after a clash). */
const MAX_AWARENESS_IDS_PER_CONNECTION = 3;

/**
 * Rewrites an awareness update from a connection so that it can only speak for itself: entries for awareness
 * ids that belong to another person are dropped (`claim` says whether the id may be this connection's), and every state's `user` becomes the server's identity
 * for this connection (names and roles are never taken from the client).
 * @returns the update to apply, or null when nothing in it is acceptable.
 */
export function rewriteAwarenessUpdate(
	update: Uint8Array,
	connection: CollabConnection,
	ids: {
		/** Claims an id this connection has not spoken for yet; false when it is someone else's. */
		claim(clientId: number): boolean;
		/** The clock everyone last saw for an id (-1 if none), and whether its presence is shown now. */
		seen(clientId: number): { clock: number; shown: boolean };
	}
): Uint8Array | null {
	const decoder = decoding.createDecoder(update);
	const count = decoding.readVarUint(decoder);
	const accepted: { clientId: number; clock: number; state: unknown }[] = [];
	for (let index = 0; index < count; index++) {
		const clientId = decoding.readVarUint(decoder);
		const clock = decoding.readVarUint(decoder);
		const state: unknown = JSON.parse(decoding.readVarString(decoder));
		if (!connection.awarenessIds.has(clientId)) {
			const seen = ids.seen(clientId);
			// Stock clients relay every presence they hear: an entry no newer than what is shown is an echo, not a claim.
			if (seen.shown && clock <= seen.clock) continue;
			if (clientId === 0 || connection.awarenessIds.size >= MAX_AWARENESS_IDS_PER_CONNECTION || !ids.claim(clientId)) continue;
			connection.awarenessIds.add(clientId);
			// A reconnecting client starts from the clock it had, but everyone saw a later one when its old socket
			// left (the removal): its clocks are carried on from there, so others accept it at once.
			connection.awarenessClockOffsets.set(clientId, seen.shown ? 0 : Math.max(0, seen.clock + 1 - clock));
		}
		if (state !== null && (typeof state !== 'object' || Array.isArray(state))) continue;
		accepted.push({
			clientId,
			clock: clock + (connection.awarenessClockOffsets.get(clientId) ?? 0),
			state: state === null ? null : { ...state, user: connection.presence }
		});
	}
	if (accepted.length === 0) return null;
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, accepted.length);
	for (const entry of accepted) {
		encoding.writeVarUint(encoder, entry.clientId);
		encoding.writeVarUint(encoder, entry.clock);
		encoding.writeVarString(encoder, JSON.stringify(entry.state));
	}
	return encoding.toUint8Array(encoder);
}
