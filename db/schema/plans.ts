import { date, index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { planStatusEnum } from './enums.ts';
import { user } from './people.ts';
import { team } from './teams.ts';

/** A care plan's metadata. Its content lives in the plan's Yjs document (see the collaboration server). */
export const carePlan = pgTable(
	'care_plan',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		title: text('title').notNull(),
		serviceUserId: uuid('service_user_id')
			.notNull()
			.references(() => user.id),
		teamId: uuid('team_id')
			.notNull()
			.references(() => team.id),
		reviewDate: date('review_date'),
		status: planStatusEnum('status').notNull().default('draft'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(table) => [index('care_plan_service_user_idx').on(table.serviceUserId), index('care_plan_team_idx').on(table.teamId)]
);

/** The professionals on a plan's care team: they may read and edit it. */
export const careTeamMember = pgTable(
	'care_team_member',
	{
		planId: uuid('plan_id')
			.notNull()
			.references(() => carePlan.id, { onDelete: 'cascade' }),
		userId: uuid('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
		addedBy: uuid('added_by').references(() => user.id)
	},
	(table) => [primaryKey({ columns: [table.planId, table.userId] }), index('care_team_member_user_idx').on(table.userId)]
);

export type CarePlan = typeof carePlan.$inferSelect;
