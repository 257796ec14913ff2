import { index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { user } from './people.ts';
import { carePlan } from './plans.ts';
import { planVersion } from './versions.ts';

/**
 * A meeting about a plan. While it runs (started, not ended) every change to the plan is `joint`; ending it pins a
 * named version, so "what changed since our last appointment" has a fixed point to compare with.
 */
export const appointment = pgTable(
	'appointment',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		planId: uuid('plan_id')
			.notNull()
			.references(() => carePlan.id, { onDelete: 'cascade' }),
		scheduledFor: timestamp('scheduled_for', { withTimezone: true }).notNull(),
		/** Where, or how (phone, video), in the words of whoever booked it. */
		place: text('place'),
		createdBy: uuid('created_by')
			.notNull()
			.references(() => user.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		startedAt: timestamp('started_at', { withTimezone: true }),
		startedBy: uuid('started_by').references(() => user.id),
		endedAt: timestamp('ended_at', { withTimezone: true }),
		endedBy: uuid('ended_by').references(() => user.id),
		/** The version pinned when it ended. */
		versionId: uuid('version_id').references(() => planVersion.id),
		/** Moved to another time: the latest move, by whom and from when (every move is in the audit trail). */
		movedAt: timestamp('moved_at', { withTimezone: true }),
		movedBy: uuid('moved_by').references(() => user.id),
		movedFrom: timestamp('moved_from', { withTimezone: true }),
		/** Cancelled before it started: kept, so the plan shows what was called off and by whom. */
		cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
		cancelledBy: uuid('cancelled_by').references(() => user.id)
	},
	(table) => [index('appointment_plan_idx').on(table.planId, table.scheduledFor)]
);

export const appointmentAttendee = pgTable(
	'appointment_attendee',
	{
		appointmentId: uuid('appointment_id')
			.notNull()
			.references(() => appointment.id, { onDelete: 'cascade' }),
		userId: uuid('user_id')
			.notNull()
			.references(() => user.id)
	},
	(table) => [primaryKey({ columns: [table.appointmentId, table.userId] })]
);

export type Appointment = typeof appointment.$inferSelect;
