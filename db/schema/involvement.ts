import { bigint, boolean, date, integer, jsonb, pgTable, primaryKey, timestamp, uuid } from 'drizzle-orm/pg-core';
import { carePlan } from './plans.ts';

/** Characters of one section (or `goals`) by who wrote them. */
export interface SectionInvolvement {
	total: number;
	serviceUser: number;
	professional: number;
}

/**
 * The involvement measures of a plan that come from its content and its log, kept up to date by the server as
 * changes are committed (a derived cache: it can always be rebuilt from plan_update and the versions). Measures that
 * depend on today's date (days since, last 30/90 days, review overdue) are finished when they are read.
 */
export const planInvolvement = pgTable('plan_involvement', {
	planId: uuid('plan_id')
		.primaryKey()
		.references(() => carePlan.id, { onDelete: 'cascade' }),
	/** The last logged change these figures include. */
	throughSeq: bigint('through_seq', { mode: 'number' }).notNull(),
	computedAt: timestamp('computed_at', { withTimezone: true }).notNull().defaultNow(),
	totalChars: integer('total_chars').notNull(),
	serviceUserChars: integer('service_user_chars').notNull(),
	goals: integer('goals').notNull(),
	ownWordsGoals: integer('own_words_goals').notNull(),
	nonEmptySections: integer('non_empty_sections').notNull(),
	coProducedSections: integer('co_produced_sections').notNull(),
	crisisPlanWritten: boolean('crisis_plan_written').notNull(),
	/** Section id (and `goals`) → characters by who wrote them. */
	sections: jsonb('sections').$type<Record<string, SectionInvolvement>>().notNull(),
	serviceUserLastEditAt: timestamp('service_user_last_edit_at', { withTimezone: true }),
	/** When each of the service user's edit sessions between appointments ended (ISO strings, oldest first). */
	soloSessionEnds: jsonb('solo_session_ends').$type<string[]>().notNull(),
	/** The plan as it is now is a version the service user agreed to. */
	currentAgreedByServiceUser: boolean('current_agreed_by_service_user').notNull(),
	/** When the service user last agreed to a version. */
	serviceUserAgreedAt: timestamp('service_user_agreed_at', { withTimezone: true })
});

/** The service user's share and activity per calendar month, for the team's 12-month trend. */
export const planInvolvementMonth = pgTable(
	'plan_involvement_month',
	{
		planId: uuid('plan_id')
			.notNull()
			.references(() => carePlan.id, { onDelete: 'cascade' }),
		/** The first day of the month. */
		month: date('month').notNull(),
		/** At the end of the month (or now, for this month). */
		totalChars: integer('total_chars').notNull(),
		serviceUserChars: integer('service_user_chars').notNull(),
		soloSessions: integer('solo_sessions').notNull()
	},
	(table) => [primaryKey({ columns: [table.planId, table.month] })]
);

export type PlanInvolvement = typeof planInvolvement.$inferSelect;
export type PlanInvolvementMonth = typeof planInvolvementMonth.$inferSelect;
