import { bigint, bigserial, index, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { user } from './people.ts';
import { carePlan } from './plans.ts';

/** Why a version was pinned: someone asked for it to be agreed, an appointment ended, or someone saved it. */
export const planVersionKindEnum = pgEnum('plan_version_kind', ['agreement', 'appointment', 'manual']);

/** A named version: the plan as it was at one seq of its log. Never changed once written. */
export const planVersion = pgTable(
	'plan_version',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		planId: uuid('plan_id')
			.notNull()
			.references(() => carePlan.id, { onDelete: 'cascade' }),
		seq: bigint('seq', { mode: 'number' }).notNull(),
		kind: planVersionKindEnum('kind').notNull(),
		/**
		 * The name someone gave it, in their words; null when nobody named it: pages then call it by its kind and day,
		 * in the reader's language (src/lib/shared/version-names.ts), so no words of ours are stored.
		 */
		name: text('name'),
		createdBy: uuid('created_by')
			.notNull()
			.references(() => user.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(table) => [index('plan_version_plan_idx').on(table.planId, table.createdAt)]
);

export const signOffDecisionEnum = pgEnum('sign_off_decision', ['agree', 'disagree']);

/**
 * One person's answer to "do you agree with this version?". Answers are only ever added: a person's latest
 * answer counts, and the earlier ones stay as the record of how agreement was reached.
 */
export const planSignOff = pgTable(
	'plan_sign_off',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		versionId: uuid('version_id')
			.notNull()
			.references(() => planVersion.id, { onDelete: 'cascade' }),
		userId: uuid('user_id')
			.notNull()
			.references(() => user.id),
		decision: signOffDecisionEnum('decision').notNull(),
		/** Why they do not agree, in their words (only with `disagree`). */
		reason: text('reason'),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow()
	},
	(table) => [index('plan_sign_off_version_idx').on(table.versionId, table.at)]
);

export type PlanVersion = typeof planVersion.$inferSelect;
export type PlanSignOff = typeof planSignOff.$inferSelect;
