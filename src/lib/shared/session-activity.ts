/**
 * Where a page asks how long its session has left before it ends for lack of activity (GET, which is not itself
 * activity) and says the person is still there (POST).
 */
export const SESSION_ACTIVITY_PATH = '/api/session/activity';

/** The answer of both: milliseconds left before the idle limit, or null when this person's sessions have none. */
export interface SessionActivityAnswer {
	remainingMs: number | null;
}

/** The open plan warns this long before a session ends for lack of activity. */
export const IDLE_WARNING_MS = 2 * 60_000;

/** Typing and clicking in an open plan tell the server at most this often. */
export const ACTIVITY_PING_MS = 60_000;
