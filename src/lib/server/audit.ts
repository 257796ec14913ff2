import type { RequestEvent } from '@sveltejs/kit';
import { recordAuditEvent, type AuditEntry } from '$db/audit';
import { db } from './db';

/** Records an audit event by the signed-in person, from the request's client address. */
export function audit(event: RequestEvent, entry: Omit<AuditEntry, 'actorId' | 'ip'>): Promise<void> {
	return recordAuditEvent(db(), { ...entry, actorId: event.locals.user?.id ?? null, ip: event.getClientAddress() });
}
