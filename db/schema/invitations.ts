import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { invitationKindEnum } from './enums.ts';
import { user } from './people.ts';

/**
 * A one-time, expiring link. `set_password` lets an existing account choose its password;
 * `first_admin` lets the operator create the first administrator of an empty installation.
 */
export const invitation = pgTable('invitation', {
	/** SHA-256 of the token in the link, hex. */
	id: text('id').primaryKey(),
	kind: invitationKindEnum('kind').notNull(),
	userId: uuid('user_id').references(() => user.id, { onDelete: 'cascade' }),
	createdBy: uuid('created_by').references(() => user.id),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
	usedAt: timestamp('used_at', { withTimezone: true })
});

export type Invitation = typeof invitation.$inferSelect;
