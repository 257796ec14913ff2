import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { encodePlanNotice, type PlanNotice } from '../../src/lib/shared/plan-notices.ts';
import { MESSAGE_AWARENESS, MESSAGE_NOTICE, MESSAGE_SAVED, MESSAGE_SYNC, SYNC_STEP_1, SYNC_STEP_2, SYNC_UPDATE } from '../../src/lib/shared/collab-protocol.ts';

/** A message the server cannot read: closes the socket that sent it, nothing else. */
export class MalformedMessageError extends Error {
	override name = 'MalformedMessageError';
}

function encodeMessage(type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, type);
	write(encoder);
	return encoding.toUint8Array(encoder);
}

/** Sync step 1: the server's state vector, so the client sends what the server lacks. */
export function syncStep1Message(doc: Y.Doc): Uint8Array {
	return encodeMessage(MESSAGE_SYNC, (encoder) => {
		encoding.writeVarUint(encoder, SYNC_STEP_1);
		encoding.writeVarUint8Array(encoder, Y.encodeStateVector(doc));
	});
}

/** Sync step 2: what the document has beyond the asker's state vector. */
export function syncStep2Message(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
	return encodeMessage(MESSAGE_SYNC, (encoder) => {
		encoding.writeVarUint(encoder, SYNC_STEP_2);
		encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(doc, stateVector));
	});
}

/** A committed change, for everyone but its author. */
export function updateMessage(update: Uint8Array): Uint8Array {
	return encodeMessage(MESSAGE_SYNC, (encoder) => {
		encoding.writeVarUint(encoder, SYNC_UPDATE);
		encoding.writeVarUint8Array(encoder, update);
	});
}

/** The presence of these awareness ids (all of them when none are given). */
export function awarenessMessage(awareness: awarenessProtocol.Awareness, ids: number[] = [...awareness.getStates().keys()]): Uint8Array {
	return encodeMessage(MESSAGE_AWARENESS, (encoder) => encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, ids)));
}

/** "Your first `saved` document messages on this connection are committed." */
export function savedMessage(saved: number): Uint8Array {
	return encodeMessage(MESSAGE_SAVED, (encoder) => encoding.writeVarUint(encoder, saved));
}

/** A notice for everyone in the plan (MESSAGE_NOTICE). */
export function noticeMessage(notice: PlanNotice): Uint8Array {
	return encodeMessage(MESSAGE_NOTICE, (encoder) => encoding.writeVarString(encoder, encodePlanNotice(notice)));
}
