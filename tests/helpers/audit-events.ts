import { and, asc, eq } from 'drizzle-orm';
import { auditEvent } from '../../db/schema/index.ts';
import type { Database } from '../../db/types.ts';

/** The audit events of an action about one target, oldest first. */
export function auditEventsOf(db: Database, action: string, targetId: string) {
	return db
		.select()
		.from(auditEvent)
		.where(and(eq(auditEvent.action, action), eq(auditEvent.targetId, targetId)))
		.orderBy(asc(auditEvent.id));
}
