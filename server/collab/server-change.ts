import * as Y from 'yjs';
import type { ServerChangeBuilder } from '../../src/lib/shared/live-plans.ts';

/** A change the server made on people's behalf, ready to apply to the live document. */
export interface DraftedChange {
	/** The updates, in order; none when the change changed nothing. */
	updates: Uint8Array[];
	/** Each person written for, with the fresh client id their words are under. */
	writers: [userId: string, clientId: number][];
}

/**
 * Builds a change the server makes on someone's behalf (a restore) on a copy of the live document, so the live one
 * is touched only by applying the result. Each person `build` writes as gets a client id nobody has used.
 */
export function draftServerChange(doc: Y.Doc, madeBy: string, build: ServerChangeBuilder, unusedClientId: () => number): DraftedChange {
	const draft = new Y.Doc({ gc: false });
	Y.applyUpdate(draft, Y.encodeStateAsUpdate(doc));
	const updates: Uint8Array[] = [];
	draft.on('update', (update: Uint8Array) => updates.push(update));
	const clientOf = new Map<string, number>();
	const writeAs = (personId: string) => {
		let clientId = clientOf.get(personId);
		if (clientId === undefined) clientOf.set(personId, (clientId = unusedClientId()));
		draft.clientID = clientId;
	};
	writeAs(madeBy);
	build(draft, writeAs);
	const writers = [...clientOf].filter(([, clientId]) => draft.store.clients.has(clientId));
	draft.destroy();
	return { updates, writers };
}
