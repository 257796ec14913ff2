import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { user } from './people.ts';
import { carePlan } from './plans.ts';

/**
 * Something a person should know about: someone asks them to agree to a version, an appointment of theirs was booked,
 * moved or cancelled, they joined a care team. Stored as a code (`kind`) and its params, never as words: the words
 * are chosen where they are shown. Only the recipient reads or marks them.
 */
export const notification = pgTable(
	'notification',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		recipientId: uuid('recipient_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		kind: text('kind').notNull(),
		/** Who caused it; null for the command line. */
		actorId: uuid('actor_id').references(() => user.id, { onDelete: 'set null' }),
		planId: uuid('plan_id').references(() => carePlan.id, { onDelete: 'cascade' }),
		/** What the words need besides the plan and the actor: times (ISO), a version's id and name. */
		params: jsonb('params').$type<Record<string, string | number>>().notNull().default({}),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		readAt: timestamp('read_at', { withTimezone: true })
	},
	(table) => [index('notification_recipient_idx').on(table.recipientId, table.createdAt)]
);

export type Notification = typeof notification.$inferSelect;
