import type { Discipline, Role } from './roles.ts';

/**
 * What the Chorus collaboration server and its browser client agree on, beyond the y-websocket protocol
 * (sync = 0, awareness = 1, auth = 2, query awareness = 3).
 */

/** Server → author: "your first N document messages on this connection are committed". Payload: varUint N. */
export const MESSAGE_SAVED = 100;

/**
 * Server → everyone in the plan: a notice (see plan-notices.ts). Payload: varString JSON `{ code, params }`. Made by
 * the server only: a client sending this type has its socket closed as malformed. The stock y-websocket client
 * logs "Unable to compute message" for a type it has no handler for and carries on; the Chorus client handles it.
 */
export const MESSAGE_NOTICE = 101;

/** y-protocols message types the server handles. */
export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;

/** Sync sub-types. */
export const SYNC_STEP_1 = 0;
export const SYNC_STEP_2 = 1;
export const SYNC_UPDATE = 2;

/**
 * WebSocket close codes the server uses; the client explains each to the person. The stock y-websocket client
 * stops reconnecting after 4400–4499 (a decision reconnecting cannot change) and retries after anything else.
 */
export const CLOSE_CODES = {
	/** The server is restarting; reconnect shortly. */
	serverRestart: 1012,
	/** The message could not be read. */
	malformedMessage: 4400,
	/** The session ended (signed out, expired, account disabled). */
	sessionEnded: 4401,
	/** Access to this plan was taken away. */
	accessRevoked: 4403,
	/** An update used a Yjs client id that belongs to someone else. */
	forgedClientId: 4409,
	/** A change does not fit the plan format (unknown parts, nesting too deep, text that cannot be stored). */
	refusedChange: 4422,
	/** A change arrived before what it builds on; reconnecting resynchronises everything. */
	resync: 4500,
	/** Too many messages too fast; retried after a pause. */
	rateLimited: 4529,
	/** The connection could not keep up; reconnecting resynchronises it. */
	tooSlow: 4508,
	/** A message was larger than the server accepts. */
	tooLarge: 1009
} as const;

/** True for close codes after which reconnecting would not help (the stock client's own rule). */
export function isFinalCloseCode(code: number): boolean {
	return code >= 4400 && code < 4500;
}

/** Who someone is in a plan, for carets and presence colours. */
export type PresenceKind = 'service_user' | 'professional' | 'peer_worker' | 'supervisor';

/** The `user` field of an awareness state, always set by the server from the signed-in identity. */
export interface PresenceUser {
	id: string;
	name: string;
	kind: PresenceKind;
	/** Codes, not words: the page that shows them says them in the reader's words (describeRole). */
	role: Role;
	discipline: Discipline | null;
	/** The person's caret and presence colour (authorColor's strong colour). */
	color: string;
	readOnly: boolean;
}

export const PRESENCE_KIND_LABELS: Record<PresenceKind, string> = {
	service_user: 'Person whose plan it is',
	professional: 'Professional',
	peer_worker: 'Peer support worker',
	supervisor: 'Supervisor (reading)'
};
