/**
 * Announcements that someone's access just ended, so that open collaboration sockets can be closed at once.
 * The SvelteKit bundle and the Node server load separate copies of this module, hence the global registry.
 */
export type AccessChange =
	| { kind: 'session_ended'; sessionId: string }
	| { kind: 'user_signed_out'; userId: string }
	| { kind: 'account_disabled'; userId: string }
	| { kind: 'plan_access_changed'; planId: string; userId: string };

type Listener = (change: AccessChange) => void;

const LISTENERS_KEY = Symbol.for('chorus.access-listeners');
type WithListeners = typeof globalThis & { [LISTENERS_KEY]?: Set<Listener> };

function listeners(): Set<Listener> {
	const holder = globalThis as WithListeners;
	holder[LISTENERS_KEY] ??= new Set();
	return holder[LISTENERS_KEY];
}

/** Tells every listener in this process that access ended. */
export function announceAccessChange(change: AccessChange): void {
	for (const listener of listeners()) listener(change);
}

/** @returns a function that stops listening. */
export function onAccessChange(listener: Listener): () => void {
	listeners().add(listener);
	return () => listeners().delete(listener);
}
