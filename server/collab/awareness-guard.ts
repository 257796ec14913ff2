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
	claim: (clientId: number) => boolean
): Uint8Array | null {
	const decoder = decoding.createDecoder(update);
	const count = decoding.readVarUint(decoder);
	const accepted: { clientId: number; clock: number; state: unknown }[] = [];
	for (let index = 0; index < count; index++) {
		const clientId = decoding.readVarUint(decoder);
		const clock = decoding.readVarUint(decoder);
		const state: unknown = JSON.parse(decoding.readVarString(decoder));
		if (!connection.awarenessIds.has(clientId)) {
			if (clientId === 0 || connection.awarenessIds.size >= MAX_AWARENESS_IDS_PER_CONNECTION || !claim(clientId)) continue;
			connection.awarenessIds.add(clientId);
		}
		if (state !== null && (typeof state !== 'object' || Array.isArray(state))) continue;
		accepted.push({ clientId, clock, state: state === null ? null : { ...state, user: connection.presence } });
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
