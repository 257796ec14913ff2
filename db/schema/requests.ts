import { jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { user } from './people.ts';

/**
 * A form submission that was carried out, by the key its page was rendered with: a repeat of it (a double click, a
 * form sent again) is answered with `answer` instead of acting twice. The primary key is what makes it safe when both
 * arrive at once: the second insert waits for the first transaction and then finds its row.
 */
export const requestReceipt = pgTable(
	'request_receipt',
	{
		actorId: uuid('actor_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		/** The key minted for the rendered form (random, sent back in a hidden field). */
		key: text('key').notNull(),
		/** What the form does and to what (e.g. `version.pin:<plan id>`), so one key can serve several forms of a page. */
		scope: text('scope').notNull(),
		/** The first answer, as stored by server/commands/once.ts (no secrets: a link's token is never kept). */
		answer: jsonb('answer'),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow()
	},
	(table) => [primaryKey({ columns: [table.actorId, table.key, table.scope] })]
);

export type RequestReceipt = typeof requestReceipt.$inferSelect;
