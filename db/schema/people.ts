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
		userAgent: text('user_agent')
	},
	(table) => [index('session_user_idx').on(table.userId)]
);

export type User = typeof user.$inferSelect;
export type Session = typeof session.$inferSelect;
