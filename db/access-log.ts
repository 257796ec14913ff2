import { alias } from 'drizzle-orm/pg-core';
import { and, count, desc, eq, inArray, max, sql } from 'drizzle-orm';
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
	times: number;
}

/** Who has looked at a plan (other than `exceptUserId`), with when they last did and how often. */
export async function listPlanViewers(db: Database, planId: string, exceptUserId: string): Promise<PlanViewer[]> {
	const rows = await db
		.select({
			id: user.id,
			name: user.displayName,
			role: user.role,
			discipline: user.discipline,
			lastAt: max(auditEvent.at),
			times: count()
		})
		.from(auditEvent)
		.innerJoin(user, eq(auditEvent.actorId, user.id))
		.where(
			and(
				eq(auditEvent.targetType, 'plan'),
				eq(auditEvent.targetId, planId),
				inArray(auditEvent.action, [...PLAN_LOOK_ACTIONS]),
				sql`${auditEvent.actorId} <> ${exceptUserId}`
			)
		)
		.groupBy(user.id, user.displayName, user.role, user.discipline)
		.orderBy(desc(max(auditEvent.at)));
	return rows.map((row) => ({ ...row, lastAt: new Date(row.lastAt!), times: Number(row.times) }));
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
