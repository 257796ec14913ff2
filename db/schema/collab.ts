import { bigint, customType, index, jsonb, pgEnum, pgTable, primaryKey, timestamp, uuid } from 'drizzle-orm/pg-core';
import { user } from './people.ts';
import { carePlan } from './plans.ts';

/** Binary Yjs data. Stored as bytea; read back as a Uint8Array. */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
	dataType: () => 'bytea',
	toDriver: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
	fromDriver: (value) => new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
});

/** `joint`: the service user and a professional were in the plan together; `solo`: someone worked alone. */
export const updateContextEnum = pgEnum('update_context', ['joint', 'solo']);

/**
 * The plan's history: every committed change (a Yjs delta) with the person who made it. Append-only;
 * the plan at any seq is the merge of rows up to it.
 */
export const planUpdate = pgTable(
	'plan_update',
	{
		planId: uuid('plan_id')
			.notNull()
			.references(() => carePlan.id, { onDelete: 'cascade' }),
		seq: bigint('seq', { mode: 'number' }).notNull(),
		userId: uuid('user_id')
			.notNull()
			.references(() => user.id),
		/** The Yjs client id whose new content this is (0 for a change that only deletes). */
		clientId: bigint('client_id', { mode: 'number' }).notNull(),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
		context: updateContextEnum('context').notNull(),
		update: bytea('update').notNull(),
		/**
		 * What the change did (characters added and removed per section, goals touched), computed when it was
		 * applied; see src/lib/shared/change-summary.ts. Null for changes stored before summaries existed.
		 */
		summary: jsonb('summary').$type<StoredChangeSummary>()
	},
	(table) => [primaryKey({ columns: [table.planId, table.seq] }), index('plan_update_user_idx').on(table.planId, table.userId)]
);

/** Which person each Yjs client id belongs to, per plan: the basis of "who wrote this". */
export const planClient = pgTable(
	'plan_client',
	{
		planId: uuid('plan_id')
			.notNull()
			.references(() => carePlan.id, { onDelete: 'cascade' }),
		clientId: bigint('client_id', { mode: 'number' }).notNull(),
		userId: uuid('user_id')
			.notNull()
			.references(() => user.id),
		firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull().defaultNow()
	},
	(table) => [primaryKey({ columns: [table.planId, table.clientId] })]
);

/** The merged state of a plan up to a seq, so loading does not replay the whole history. */
export const planCheckpoint = pgTable(
	'plan_checkpoint',
	{
		planId: uuid('plan_id')
			.notNull()
			.references(() => carePlan.id, { onDelete: 'cascade' }),
		seq: bigint('seq', { mode: 'number' }).notNull(),
		state: bytea('state').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(table) => [primaryKey({ columns: [table.planId, table.seq] })]
);

export type PlanUpdate = typeof planUpdate.$inferSelect;

/** The stored shape of a change summary (db/ imports only packages, so the type is spelled out here). */
export interface StoredChangeSummary {
	sections: Record<string, [number, number]>;
	goals: { added: string[]; changed: string[]; removed: string[] };
	restoredFrom?: number;
}
