import { boolean, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { invitationKindEnum, invitationRevokedReasonEnum } from './enums.ts';
import { user } from './people.ts';

/**
 * A one-time, expiring link. `set_password` lets an existing account choose its password;
 * `first_admin` lets the operator create the first administrator of an empty installation.
 * At most one link per account works at a time: a new one, or using one, revokes the others.
 */
export const invitation = pgTable(
	'invitation',
	{
		/** SHA-256 of the token in the link, hex. */
		id: text('id').primaryKey(),
		kind: invitationKindEnum('kind').notNull(),
		userId: uuid('user_id').references(() => user.id, { onDelete: 'cascade' }),
		createdBy: uuid('created_by').references(() => user.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		usedAt: timestamp('used_at', { withTimezone: true }),
		/** Set when it was used: true if it replaced a password the account already had, false for a first password. */
		replacedPassword: boolean('replaced_password'),
		/** The session its use signed in, so that the notice about the use is shown from the next sign-in on. */
		usedSessionId: text('used_session_id'),
		revokedAt: timestamp('revoked_at', { withTimezone: true }),
		revokedReason: invitationRevokedReasonEnum('revoked_reason'),
		/** When the account's owner said they had read the notice about this link's use. */
		noticeDismissedAt: timestamp('notice_dismissed_at', { withTimezone: true })
	},
	(table) => [index('invitation_user_idx').on(table.userId, table.createdAt)]
);

export type Invitation = typeof invitation.$inferSelect;
