import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Append-only record of who did what, when (UTC) and from where. The app's role may only read and add rows
 * (db/privileges.ts), and a trigger (see the migrations) rejects UPDATE, DELETE and TRUNCATE even from the owner.
 */
export const auditEvent = pgTable(
	'audit_event',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
		/** Null for events with no signed-in person, e.g. a failed sign-in. */
		actorId: uuid('actor_id'),
		action: text('action').notNull(),
		targetType: text('target_type'),
		targetId: text('target_id'),
		ip: text('ip'),
		detail: jsonb('detail').$type<Record<string, unknown>>()
	},
	(table) => [
		index('audit_event_action_at_idx').on(table.action, table.at),
		index('audit_event_target_idx').on(table.targetType, table.targetId, table.at),
		index('audit_event_actor_idx').on(table.actorId, table.at)
	]
);

export type AuditEvent = typeof auditEvent.$inferSelect;
