import { bigserial, boolean, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { user } from './people.ts';

/**
 * Password checks, for throttling. A row is written *before* the password is verified (as a failure) and marked
 * as succeeded afterwards, so parallel attempts count each other. Rows older than the window are pruned.
 */
export const signInAttempt = pgTable(
	'sign_in_attempt',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		at: timestamp('at', { withTimezone: true }).notNull(),
		/** Null when the username matches no account. */
		userId: uuid('user_id').references(() => user.id, { onDelete: 'cascade' }),
		ip: text('ip'),
		succeeded: boolean('succeeded').notNull().default(false)
	},
	(table) => [
		index('sign_in_attempt_user_idx').on(table.userId, table.at),
		index('sign_in_attempt_ip_idx').on(table.ip, table.at),
		index('sign_in_attempt_at_idx').on(table.at)
	]
);
