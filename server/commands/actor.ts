import { recordAuditEvent, type AuditEntry } from '../../db/audit.ts';
import type { SessionUser } from '../../db/session.ts';
import type { Database } from '../../db/types.ts';

/**
 * Who asks for a command: a signed-in person (from a page or an API route), or the operator at the command line,
 * who has the server's own access to the database and is recorded as "via cli".
 */
export type Actor = { kind: 'person'; user: SessionUser; ip: string | null } | { kind: 'operator' };

export const OPERATOR: Actor = { kind: 'operator' };

/** What every command gets: the database and who is asking. */
export interface CommandContext {
	db: Database;
	actor: Actor;
	/** The key of the submitted form, if it had one: a command that creates something acts once per key (once.ts). */
	requestKey?: string | null;
}

/** The signed-in person asking, or null for the operator. */
export function personOf(actor: Actor): SessionUser | null {
	return actor.kind === 'person' ? actor.user : null;
}

/** Records an audit event by the actor: their id and address, or "via cli" for the operator. */
export function auditAs(context: CommandContext, entry: Omit<AuditEntry, 'actorId' | 'ip'>): Promise<void> {
	const { db, actor } = context;
	if (actor.kind === 'person') return recordAuditEvent(db, { ...entry, actorId: actor.user.id, ip: actor.ip });
	return recordAuditEvent(db, { ...entry, actorId: null, ip: null, detail: { ...entry.detail, via: 'cli' } });
}

/** Administration (people, teams, plans and care teams): administrators, and the operator at the command line. */
export function mayAdminister(actor: Actor): boolean {
	return actor.kind === 'operator' || actor.user.role === 'admin';
}

/** Where a change was asked from, as db/ records it with the change: the address, or "via cli". */
export function originOf(actor: Actor): { ip?: string | null; detail?: Record<string, unknown> } {
	return actor.kind === 'person' ? { ip: actor.ip } : { detail: { via: 'cli' } };
}
