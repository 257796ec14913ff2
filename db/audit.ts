import { and, asc, desc, eq, or } from 'drizzle-orm';
import { auditEvent, type AuditEvent } from './schema/index.ts';
import type { Database } from './types.ts';

/** The actions Chorus records. Stored as text: add new ones freely, never rename. */
export type AuditAction =
	| 'sign_in'
	| 'sign_in.failed'
	| 'sign_in.throttled'
	| 'sign_out'
	| 'sign_out.everywhere'
	| 'sign_out.device'
	| 'account.created'
	| 'account.disabled'
	| 'account.enabled'
	| 'account.password_set'
	| 'account.details_changed'
	| 'invitation.created'
	| 'invitation.cancelled'
	| 'invitation.notice_dismissed'
	| 'team.created'
	| 'team.member_added'
	| 'team.member_removed'
	| 'plan.created'
	| 'plan.updated'
	| 'plan.viewed'
	| 'plan.restored'
	| 'history.viewed'
	| 'version.created'
	| 'version.signed_off'
	| 'appointment.scheduled'
	| 'appointment.started'
	| 'appointment.ended'
	| 'appointment.moved'
	| 'appointment.cancelled'
	| 'team.crisis_contact_set'
	| 'team.crisis_contact_cleared'
	| 'plan.exported'
	| 'involvement.viewed'
	| 'involvement.exported'
	| 'care_team.member_added'
	| 'care_team.member_removed'
	| 'access.denied'
	| 'second_factor.enrolled'
	| 'second_factor.removed'
	| 'second_factor.verified'
	| 'second_factor.failed'
	| 'second_factor.throttled'
	| 'second_factor.recovery_used'
	| 'second_factor.recovery_codes_made'
	| 'second_factor.reset'
	| 'session.confirmed'
	| 'session.ended_idle'
	| 'account.data_exported';

export interface AuditEntry {
	actorId: string | null;
	action: AuditAction;
	targetType?: 'user' | 'team' | 'plan' | 'invitation' | 'session';
	targetId?: string | null;
	ip?: string | null;
	detail?: Record<string, unknown>;
}

/** Appends one event to the audit trail. */
export async function recordAuditEvent(db: Database, entry: AuditEntry): Promise<void> {
	await db.insert(auditEvent).values({
		actorId: entry.actorId,
		action: entry.action,
		targetType: entry.targetType ?? null,
		targetId: entry.targetId ?? null,
		ip: entry.ip ?? null,
		detail: entry.detail ?? null
	});
}

/** The most recent events about one target, newest first. */
export async function listAuditEventsFor(db: Database, targetType: NonNullable<AuditEntry['targetType']>, targetId: string, limit = 50): Promise<AuditEvent[]> {
	return db
		.select()
		.from(auditEvent)
		.where(and(eq(auditEvent.targetType, targetType), eq(auditEvent.targetId, targetId)))
		.orderBy(desc(auditEvent.id))
		.limit(limit);
}

/** Every event a person caused or that was about their account, oldest first ("everything about me"). */
export async function listAuditEventsOfPerson(db: Database, userId: string): Promise<AuditEvent[]> {
	return db
		.select()
		.from(auditEvent)
		.where(or(eq(auditEvent.actorId, userId), and(eq(auditEvent.targetType, 'user'), eq(auditEvent.targetId, userId))))
		.orderBy(asc(auditEvent.id));
}
