import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { disciplineEnum, roleEnum } from './enums.ts';

export const user = pgTable('user', {
	id: uuid('id').primaryKey().defaultRandom(),
	/** Stored lower-case; what people type to sign in. */
	username: text('username').notNull().unique(),
	displayName: text('display_name').notNull(),
	role: roleEnum('role').notNull(),
	discipline: disciplineEnum('discipline'),
	/** Null until the person has set a password through an invitation. */
	passwordHash: text('password_hash'),
	disabledAt: timestamp('disabled_at', { withTimezone: true }),
	/** The language the person chose for Chorus (a code such as "de"); null: their browser's, else the installation's. */
	locale: text('locale'),
	/**
	 * When an administrator last removed the person's sign-in factors, until they set up a new one: they are told at
	 * their next sign-in, and must set one up again before anything else, whatever the policy for their role.
	 */
	secondFactorResetAt: timestamp('second_factor_reset_at', { withTimezone: true }),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
});

export const session = pgTable(
	'session',
	{
		/** SHA-256 of the token in the cookie, hex: the token itself is never stored. */
		id: text('id').primaryKey(),
		userId: uuid('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		ip: text('ip'),
		userAgent: text('user_agent'),
		/** When this session last proved a second factor (at sign-in or when asked again); null: password only so far. */
		secondFactorAt: timestamp('second_factor_at', { withTimezone: true }),
		/** When the person last proved who they are in this session (password, factor or passkey): sensitive actions ask again after 15 minutes. */
		confirmedAt: timestamp('confirmed_at', { withTimezone: true }).notNull().defaultNow(),
		/** The last time the person did something (at most a minute out): staff sessions end after a while without. */
		lastActiveAt: timestamp('last_active_at', { withTimezone: true }).notNull().defaultNow()
	},
	(table) => [index('session_user_idx').on(table.userId)]
);

export type User = typeof user.$inferSelect;
export type Session = typeof session.$inferSelect;
