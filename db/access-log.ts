import { alias } from 'drizzle-orm/pg-core';
import { and, desc, eq, inArray, max, sql } from 'drizzle-orm';
import { auditEvent, carePlan, user } from './schema/index.ts';
import type { Database } from './types.ts';

/** Looking at a plan: opening it, its history or versions, or downloading it. */
export const PLAN_LOOK_ACTIONS = ['plan.viewed', 'history.viewed', 'plan.exported'] as const;

export interface PlanLook {
	at: Date;
	action: (typeof PLAN_LOOK_ACTIONS)[number];
	person: { id: string; name: string; role: string; discipline: string | null } | null;
	detail: Record<string, unknown> | null;
}

/** Every look at a plan, newest first (the access log supervisors see). */
export async function listPlanLooks(db: Database, planId: string, limit = 200): Promise<PlanLook[]> {
	const rows = await db
		.select({
			at: auditEvent.at,
			action: auditEvent.action,
			detail: auditEvent.detail,
			personId: user.id,
			name: user.displayName,
			role: user.role,
			discipline: user.discipline
		})
		.from(auditEvent)
		.leftJoin(user, eq(auditEvent.actorId, user.id))
		.where(and(eq(auditEvent.targetType, 'plan'), eq(auditEvent.targetId, planId), inArray(auditEvent.action, [...PLAN_LOOK_ACTIONS])))
		.orderBy(desc(auditEvent.id))
		.limit(limit);
	return rows.map((row) => ({
		at: row.at,
		action: row.action as PlanLook['action'],
		detail: row.detail,
		person: row.personId ? { id: row.personId, name: row.name!, role: row.role!, discipline: row.discipline } : null
	}));
}

export interface PlanViewer {
	id: string;
	name: string;
	role: string;
	discipline: string | null;
	lastAt: Date;
	/** How many visits: see VISIT_GAP_MINUTES. */
	visits: number;
}

/**
 * What makes one visit: one person's looks at a plan (opening it, its history or versions, downloading it) with no
 * gap longer than this. The page loads again after each form sent from it ("Save details", agreeing, booking), and
 * each load stays in the access log, but they are part of the visit that opened it.
 */
export const VISIT_GAP_MINUTES = 30;

/**
 * Who has looked at a plan (other than `exceptUserId`), with when they last did and in how many visits. The access
 * log itself keeps every look (listPlanLooks).
 */
export async function listPlanViewers(db: Database, planId: string, exceptUserId: string): Promise<PlanViewer[]> {
	const looks = db.$with('look').as(
		db
			.select({
				actorId: auditEvent.actorId,
				at: auditEvent.at,
				previousAt: sql<Date | null>`lag(${auditEvent.at}) over (partition by ${auditEvent.actorId} order by ${auditEvent.at})`.as('previous_at')
			})
			.from(auditEvent)
			.where(
				and(
					eq(auditEvent.targetType, 'plan'),
					eq(auditEvent.targetId, planId),
					inArray(auditEvent.action, [...PLAN_LOOK_ACTIONS]),
					sql`${auditEvent.actorId} <> ${exceptUserId}`
				)
			)
	);
	const rows = await db
		.with(looks)
		.select({
			id: user.id,
			name: user.displayName,
			role: user.role,
			discipline: user.discipline,
			lastAt: sql<string>`max(${looks.at})`,
			visits: sql<number>`count(*) filter (where ${looks.previousAt} is null or ${looks.at} - ${looks.previousAt} > make_interval(mins => ${VISIT_GAP_MINUTES}))`
		})
		.from(looks)
		.innerJoin(user, eq(looks.actorId, user.id))
		.groupBy(user.id, user.displayName, user.role, user.discipline)
		.orderBy(sql`max(${looks.at}) desc`);
	return rows.map((row) => ({ ...row, lastAt: new Date(row.lastAt), visits: Number(row.visits) }));
}

/** For each plan: when the person whose plan it is last opened or downloaded it. */
export async function lastOwnLooks(db: Database, planIds: string[]): Promise<Map<string, Date>> {
	if (planIds.length === 0) return new Map();
	const rows = await db
		.select({ planId: carePlan.id, at: max(auditEvent.at) })
		.from(auditEvent)
		.innerJoin(carePlan, and(eq(sql`${auditEvent.targetId}`, sql`${carePlan.id}::text`), eq(auditEvent.actorId, carePlan.serviceUserId)))
		.where(and(eq(auditEvent.targetType, 'plan'), inArray(auditEvent.targetId, planIds), inArray(auditEvent.action, ['plan.viewed', 'plan.exported'])))
		.groupBy(carePlan.id);
	return new Map(rows.filter((row) => row.at).map((row) => [row.planId, new Date(row.at!)]));
}

/** A change to a plan's care team, as the audit trail recorded it. */
export interface CareTeamChange {
	at: Date;
	change: 'added' | 'removed';
	/** Who made the change; null when it was made on the command line (`byCommandLine`) or by someone since removed. */
	by: { id: string; name: string; role: string; discipline: string | null } | null;
	byCommandLine: boolean;
	/** Who joined or left the care team; null if their account no longer exists. */
	member: { id: string; name: string; role: string; discipline: string | null } | null;
}

const member = alias(user, 'member');

/**
 * Every change to a plan's care team, newest first, read from the audit trail (`care_team.member_added` and
 * `care_team.member_removed`): shown to the person whose plan it is and to supervisors.
 */
export async function listCareTeamChanges(db: Database, planId: string, limit = 100): Promise<CareTeamChange[]> {
	const rows = await db
		.select({
			at: auditEvent.at,
			action: auditEvent.action,
			detail: auditEvent.detail,
			by: { id: user.id, name: user.displayName, role: user.role, discipline: user.discipline },
			member: { id: member.id, name: member.displayName, role: member.role, discipline: member.discipline }
		})
		.from(auditEvent)
		.leftJoin(user, eq(auditEvent.actorId, user.id))
		.leftJoin(member, sql`${member.id}::text = ${auditEvent.detail}->>'userId'`)
		.where(
			and(
				eq(auditEvent.targetType, 'plan'),
				eq(auditEvent.targetId, planId),
				inArray(auditEvent.action, ['care_team.member_added', 'care_team.member_removed'])
			)
		)
		.orderBy(desc(auditEvent.id))
		.limit(limit);
	return rows.map((row) => ({
		at: row.at,
		change: row.action === 'care_team.member_added' ? 'added' : 'removed',
		by: row.by,
		byCommandLine: row.detail?.via === 'cli',
		member: row.member
	}));
}

/** A look at a plan that happened in a scripted past (the demo): who, when, and what they opened. */
export interface PastPlanLook {
	userId: string;
	at: Date;
	action: 'plan.viewed' | 'history.viewed';
	detail?: Record<string, unknown>;
}

/**
 * Records looks at a plan as they happened in a scripted history, so that the demo's access log matches the
 * history it shows (nobody writes in a plan without opening it). Marked `scripted` in their detail.
 */
export async function recordPastPlanLooks(db: Database, planId: string, looks: PastPlanLook[]): Promise<void> {
	if (looks.length === 0) return;
	await db.insert(auditEvent).values(
		looks.map((look) => ({
			at: look.at,
			actorId: look.userId,
			action: look.action,
			targetType: 'plan',
			targetId: planId,
			ip: null,
			detail: { ...look.detail, scripted: true }
		}))
	);
}
