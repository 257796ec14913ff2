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
 * Largest socket message the server accepts, in bytes (the `ws` maxPayload); a larger one closes the socket with
 * CLOSE_CODES.tooLarge. The editor keeps every change, and all its unsaved changes together, under
 * MAX_UNSAVED_BYTES, because they travel in one message when a connection starts.
 */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

/**
 * The most a page lets its unsaved changes weigh (their update encoding): a message's limit less room for its
 * framing and the document's delete set, which a catch-up message carries too.
 */
export const MAX_UNSAVED_BYTES = MAX_MESSAGE_BYTES - 64 * 1024;

/**
 * WebSocket close codes the server uses; the client explains each to the person. 4400–4499 (and tooLarge) are
 * decisions reconnecting cannot change: the client stops (isFinalCloseCode); after anything else it retries.
 */
export const CLOSE_CODES = {
	/** The server is restarting; reconnect shortly. */
	serverRestart: 1012,
	/** The message could not be read. */
	malformedMessage: 4400,
	/** The session was ended: signed out on this device or everywhere, or the password was changed. */
	sessionEnded: 4401,
	/** Access to this plan was taken away. */
	accessRevoked: 4403,
	/** An update used a Yjs client id that belongs to someone else. */
	forgedClientId: 4409,
	/** A change does not fit the plan format (unknown parts, nesting too deep, text that cannot be stored). */
	refusedChange: 4422,
	/** The person's account was disabled. */
	accountDisabled: 4423,
	/** The session ran out (it was not used for too long). */
	sessionExpired: 4440,
	/** A change arrived before what it builds on; reconnecting resynchronises everything. */
	resync: 4500,
	/** Too many messages too fast; retried after a pause. */
	rateLimited: 4529,
	/** The connection could not keep up; reconnecting resynchronises it. */
	tooSlow: 4508,
	/** A message was larger than the server accepts (MAX_MESSAGE_BYTES); sent by `ws` itself. */
	tooLarge: 1009
} as const;

/**
 * True for close codes after which reconnecting would not help: the stock client's rule (4400–4499), and a message
 * too large, which would be sent again on every reconnect.
 */
export function isFinalCloseCode(code: number): boolean {
	return (code >= 4400 && code < 4500) || code === CLOSE_CODES.tooLarge;
}

/**
 * Why a plan page can no longer save, by what the person can do about it. `not-signed-in` is found by the page
 * itself: the server answers a socket without a valid session with HTTP 401, which browsers do not show to pages.
 */
export type ConnectionEnd =
	'signed-out' | 'session-expired' | 'not-signed-in' | 'account-disabled' | 'access-removed' | 'too-large' | 'refused-change' | 'broken';

/** The end a final close code means. */
export function connectionEndOf(code: number): ConnectionEnd {
	switch (code) {
		case CLOSE_CODES.sessionEnded:
			return 'signed-out';
		case CLOSE_CODES.sessionExpired:
			return 'session-expired';
		case CLOSE_CODES.accountDisabled:
			return 'account-disabled';
		case CLOSE_CODES.accessRevoked:
			return 'access-removed';
		case CLOSE_CODES.tooLarge:
			return 'too-large';
		case CLOSE_CODES.refusedChange:
			return 'refused-change';
		default:
			return 'broken';
	}
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
