import { index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { user } from './people.ts';

export const team = pgTable('team', {
	id: uuid('id').primaryKey().defaultRandom(),
	name: text('name').notNull().unique(),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
});

/** Who works in (or is supported by) a team. Supervisors see every plan of their teams. */
export const teamMember = pgTable(
	'team_member',
	{
		teamId: uuid('team_id')
			.notNull()
			.references(() => team.id, { onDelete: 'cascade' }),
		userId: uuid('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow()
	},
	(table) => [primaryKey({ columns: [table.teamId, table.userId] }), index('team_member_user_idx').on(table.userId)]
);

export type Team = typeof team.$inferSelect;

/**
 * Who to contact out of hours or in a crisis, per team, as its administrators wrote it: shown on every page of the
 * team's plans. Kept apart from `team`, whose rows are never changed.
 */
export const teamCrisisContact = pgTable('team_crisis_contact', {
	teamId: uuid('team_id')
		.primaryKey()
		.references(() => team.id, { onDelete: 'cascade' }),
	/** Who answers, e.g. "Riverside crisis line". */
	name: text('name').notNull(),
	/** A phone number people can call. */
	phone: text('phone').notNull(),
	/** When to use it, e.g. "Evenings from 5 pm, nights and weekends". */
	hours: text('hours').notNull(),
	/** Anything else that helps, e.g. "In an emergency call 999". */
	note: text('note'),
	updatedBy: uuid('updated_by').references(() => user.id, { onDelete: 'set null' }),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

export type TeamCrisisContact = typeof teamCrisisContact.$inferSelect;
