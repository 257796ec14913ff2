import { findAccountById, listPeopleByIds } from '../../db/accounts.ts';
import { listPlanLooks, type PlanLook } from '../../db/access-log.ts';
import { listAppointments, type AppointmentWithPeople } from '../../db/appointments.ts';
import { listAuditEventsOfPerson } from '../../db/audit.ts';
import { listPlanChanges, type UpdateSummaryRow } from '../../db/plan-history.ts';
import { listPlansOfServiceUser } from '../../db/plans.ts';
import type { AuditEvent, User } from '../../db/schema/index.ts';
import { todayIso } from '../../src/lib/shared/dates.ts';
import { done, refused, type Outcome } from '../../src/lib/shared/outcome.ts';
import { myDataArchive } from '../exports/my-data-archive.ts';
import { auditAs, type CommandContext } from './actor.ts';
import { openPlanRecord, type PlanRecord, type RecordPerson } from './plan-record.ts';

/** One plan of the person with everything Chorus holds about it. */
export interface MyPlanData {
	record: PlanRecord;
	/** Every logged change, newest first: who, when, in which context, what it changed. */
	changes: UpdateSummaryRow[];
	/** Every look at the plan (opening it, its history, a copy), newest first. */
	looks: PlanLook[];
	appointments: AppointmentWithPeople[];
}

/** Everything Chorus holds about one person (GDPR Art. 15 and 20): their account, their events, their plans. */
export interface MyData {
	generatedAt: Date;
	account: Pick<User, 'id' | 'username' | 'displayName' | 'role' | 'discipline' | 'locale' | 'createdAt' | 'disabledAt' | 'secondFactorResetAt'>;
	/** Events the person caused or that were about their account (sign-ins, failed sign-ins, changes), oldest first. */
	events: AuditEvent[];
	plans: MyPlanData[];
	/** Everyone named in the copy (writers, viewers, care teams), by id. */
	people: Map<string, RecordPerson>;
}

export type MyDataCode = 'sign-in-required';

/**
 * Everything about the signed-in person, for them to keep: their account and its events, and every plan that is
 * theirs with its history, versions and sign-offs, who looked at it and its appointments. Nothing of anyone else's
 * plan: an event of theirs about a plan that is not theirs (a refused look, say) keeps its kind and time but not
 * which plan. Recorded as `account.data_exported`.
 */
export async function gatherMyData(context: CommandContext): Promise<Outcome<MyData, MyDataCode>> {
	const { db, actor } = context;
	if (actor.kind !== 'person') return refused('sign-in-required');
	const me = await findAccountById(db, actor.user.id);
	if (!me) return refused('sign-in-required');
	const summaries = await listPlansOfServiceUser(db, me.id);
	const plans: MyPlanData[] = [];
	for (const summary of summaries) {
		const opened = await openPlanRecord(context, summary.id, null);
		if (!opened.ok) continue;
		const [changes, looks, appointments] = await Promise.all([
			listPlanChanges(db, summary.id),
			listPlanLooks(db, summary.id, Number.MAX_SAFE_INTEGER),
			listAppointments(db, summary.id)
		]);
		plans.push({ record: opened.value.record, changes, looks, appointments });
	}
	const mine = new Set(plans.map((plan) => plan.record.plan.id));
	const events = (await listAuditEventsOfPerson(db, me.id)).map((event) =>
		event.targetType === 'plan' && event.targetId !== null && !mine.has(event.targetId) ? { ...event, targetId: null, detail: null } : event
	);
	const ids = new Set<string>([me.id]);
	for (const plan of plans) {
		for (const person of [...plan.record.writers, ...plan.record.careTeam]) ids.add(person.id);
		for (const change of plan.changes) ids.add(change.userId);
		for (const look of plan.looks) if (look.person) ids.add(look.person.id);
		for (const version of plan.record.versions) for (const signOff of version.signOffs) ids.add(signOff.userId);
	}
	const people = new Map((await listPeopleByIds(db, [...ids])).map((person) => [person.id, person]));
	await auditAs(context, { action: 'account.data_exported', targetType: 'user', targetId: me.id, detail: { plans: plans.length } });
	return done({
		generatedAt: new Date(),
		account: {
			id: me.id,
			username: me.username,
			displayName: me.displayName,
			role: me.role,
			discipline: me.discipline,
			locale: me.locale,
			createdAt: me.createdAt,
			disabledAt: me.disabledAt,
			secondFactorResetAt: me.secondFactorResetAt
		},
		events,
		plans,
		people
	});
}

/** The download of everything about the signed-in person: one ZIP file, and the day it was made (for its name). */
export async function exportMyData(context: CommandContext, options: { baseUrl: string }): Promise<Outcome<{ archive: Uint8Array; day: string }, MyDataCode>> {
	const gathered = await gatherMyData(context);
	if (!gathered.ok) return gathered;
	return done({ archive: myDataArchive(gathered.value, options), day: todayIso(gathered.value.generatedAt) });
}
