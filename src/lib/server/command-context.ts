import type { RequestEvent } from '@sveltejs/kit';
import type { CommandContext } from '$commands/actor';
import type { SessionUser } from '$db/session';
import { db } from './db';
import { requireUser } from './guards';

/**
 * The context of a command asked for from a page or an API route: the signed-in person (a page sends anyone else
 * to sign in) and the address they ask from.
 */
export function commandContext(event: Pick<RequestEvent, 'locals' | 'url' | 'getClientAddress'>, user: SessionUser = requireUser(event)): CommandContext {
	return { db: db(), actor: { kind: 'person', user, ip: event.getClientAddress() } };
}

/** Where a session is started from: the client's address and browser. */
export function originOfRequest(event: Pick<RequestEvent, 'getClientAddress' | 'request'>): { ip: string; userAgent: string | null } {
	return { ip: event.getClientAddress(), userAgent: event.request.headers.get('user-agent') };
}
