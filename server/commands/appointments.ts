import * as appointments from '../../db/appointments.ts';
import { listCareTeam } from '../../db/plans.ts';
import type { Appointment } from '../../db/schema/index.ts';
import type { Database } from '../../db/types.ts';
import { getLivePlans } from '../../src/lib/shared/live-plans.ts';
import { done, refused, type Outcome } from '../../src/lib/shared/outcome.ts';
import { checkDateTime, isUuid, type InvalidCode } from '../../src/lib/shared/validation.ts';
import { versionName } from '../../src/lib/shared/version-names.ts';
import { auditAs, type CommandContext } from './actor.ts';
import { notify } from './notifications.ts';
import { isCareTeamProfessional, openPlanToChange, type OpenPlan, type PlanAccessCode } from './plan-access.ts';
import { once } from './once.ts';
import { pinVersion } from './versions.ts';

export const APPOINTMENT_PLACE_MAX = 200;

/** Appointments are booked, started and ended by the professionals of the plan's care team. */
const CARE_TEAM = { may: isCareTeamProfessional, refusal: 'appointments-care-team-only' } as const;

type OpeningCode = PlanAccessCode | 'appointments-care-team-only' | 'form-unreadable';

/** A booking as sent: when, where (optional) and who will be there; null when what was sent could not be read. */
export type BookingInput = { when: unknown; place: unknown; attendees: unknown[] } | null;

export type BookingCode =
	OpeningCode | InvalidCode | 'appointment-in-past' | 'appointment-place-too-long' | 'appointment-attendees-invalid' | 'appointment-attendees-missing';

/**
 * A time for a new or moved appointment: a date and time, not before the current minute (what the form sends has
 * no seconds, so "now" is still accepted).
 */
function checkFutureTime(raw: unknown): Outcome<Date, InvalidCode | 'appointment-in-past'> {
	const when = checkDateTime(raw);
	if (!when.ok) return when;
	const thisMinute = Math.floor(Date.now() / 60_000) * 60_000;
	return when.value.getTime() < thisMinute ? refused('appointment-in-past') : when;
}

/** Books an appointment with the person and members of their care team (once per submitted form: once.ts). */
export function scheduleAppointment(
	context: CommandContext,
	planId: string,
	input: BookingInput
): Promise<Outcome<{ code: 'appointment-booked'; appointment: Appointment }, BookingCode>> {
	return once(context, `appointment.book:${planId}`, async (context) => {
		const opened = await openPlanToChange(context, planId, CARE_TEAM);
		if (!opened.ok) return opened;
		if (!input) return refused('form-unreadable');
		const { user, plan } = opened.value;
		// openAppointment has refused a form it could not read.
		const when = checkFutureTime(input?.when);
		if (!when.ok) return when;
		const place = typeof input.place === 'string' ? input.place.trim() : '';
		if (place.length > APPOINTMENT_PLACE_MAX) return refused('appointment-place-too-long', { max: APPOINTMENT_PLACE_MAX });
		const careTeam = await listCareTeam(context.db, planId);
		const allowed = new Set([plan.serviceUser.id, ...careTeam.map((member) => member.id)]);
		const attendees = input.attendees.filter((value): value is string => typeof value === 'string');
		if (attendees.some((id) => !isUuid(id) || !allowed.has(id))) return refused('appointment-attendees-invalid');
		if (attendees.length === 0) return refused('appointment-attendees-missing');
		const booked = await appointments.scheduleAppointment(context.db, {
			planId,
			scheduledFor: when.value,
			place: place || null,
			createdBy: user.id,
			attendees
		});
		await auditAs(context, { action: 'appointment.scheduled', targetType: 'plan', targetId: planId, detail: { appointmentId: booked.id } });
		await notify(context, attendees, { kind: 'appointment-booked', planId, params: { when: booked.scheduledFor.toISOString() } });
		return done({ code: 'appointment-booked' as const, appointment: booked });
	});
}

/** Which appointment, as sent; null when what was sent could not be read. */
export type AppointmentInput = { appointment: unknown } | null;

async function findOwnAppointment(db: Database, planId: string, input: { appointment: unknown }): Promise<Appointment | null> {
	return isUuid(input.appointment) ? appointments.findAppointment(db, planId, input.appointment) : null;
}

/** What every change to one appointment starts with: a care-team professional, a readable form, an appointment of this plan. */
async function openAppointment(
	context: CommandContext,
	planId: string,
	input: AppointmentInput
): Promise<Outcome<{ user: OpenPlan['user']; appointment: Appointment }, OpeningCode | 'appointment-not-found'>> {
	const opened = await openPlanToChange(context, planId, CARE_TEAM);
	if (!opened.ok) return opened;
	if (!input) return refused('form-unreadable');
	const appointment = await findOwnAppointment(context.db, planId, input);
	if (!appointment) return refused('appointment-not-found');
	return done({ user: opened.value.user, appointment });
}

export type StartCode = OpeningCode | 'appointment-not-found' | 'appointment-cancelled' | 'appointment-already-running' | 'appointment-already-started';

/** Starts an appointment: from now until it ends, changes to the plan count as made together. */
export async function startAppointment(
	context: CommandContext,
	planId: string,
	input: AppointmentInput
): Promise<Outcome<{ code: 'appointment-started' }, StartCode>> {
	const opened = await openAppointment(context, planId, input);
	if (!opened.ok) return opened;
	const { user, appointment } = opened.value;
	if (appointment.cancelledAt) return refused('appointment-cancelled');
	if (await appointments.findRunningAppointment(context.db, planId)) return refused('appointment-already-running');
	if (!(await appointments.startAppointment(context.db, appointment.id, user.id))) return refused('appointment-already-started');
	const live = getLivePlans();
	await live.appointmentChanged(planId);
	live.announce(planId, { code: 'appointment-started', params: { by: { id: user.id, name: user.displayName } } });
	await auditAs(context, { action: 'appointment.started', targetType: 'plan', targetId: planId, detail: { appointmentId: appointment.id } });
	return done({ code: 'appointment-started' });
}

export type EndCode = OpeningCode | 'appointment-not-found' | 'appointment-not-running';

/** Ends a running appointment and saves the plan as it is then, as a version named after the appointment. */
export async function endAppointment(
	context: CommandContext,
	planId: string,
	input: AppointmentInput
): Promise<Outcome<{ code: 'appointment-ended'; params: { name: string } }, EndCode>> {
	const opened = await openAppointment(context, planId, input);
	if (!opened.ok) return opened;
	const { user, appointment } = opened.value;
	if (!appointment.startedAt || appointment.endedAt) return refused('appointment-not-running');
	// Ending first: of two people ending it at once, exactly one goes on to pin the version.
	if (!(await appointments.endAppointment(context.db, appointment.id, user.id))) return refused('appointment-not-running');
	await getLivePlans().appointmentChanged(planId);
	const version = await pinVersion(context.db, planId, user.id, 'appointment', null);
	await appointments.setAppointmentVersion(context.db, appointment.id, version.id);
	getLivePlans().announce(planId, { code: 'appointment-ended', params: { by: { id: user.id, name: user.displayName }, versionSeq: version.seq } });
	await auditAs(context, {
		action: 'appointment.ended',
		targetType: 'plan',
		targetId: planId,
		detail: { appointmentId: appointment.id, versionId: version.id }
	});
	return done({ code: 'appointment-ended', params: { name: versionName(version) } });
}

/** Which appointment, and the new time, as sent; null when what was sent could not be read. */
export type MoveInput = { appointment: unknown; when: unknown } | null;

export type ChangeCode = OpeningCode | 'appointment-not-found' | 'appointment-cancelled' | 'appointment-already-started';

/** Why a booked appointment cannot be moved or cancelled now: it was called off, or it has begun. */
function notChangeable(appointment: Appointment): 'appointment-cancelled' | 'appointment-already-started' | null {
	if (appointment.cancelledAt) return 'appointment-cancelled';
	return appointment.startedAt ? 'appointment-already-started' : null;
}

/** Why a move or cancel found nothing left to change: someone started or cancelled it a moment ago. */
async function changedMeanwhile(db: Database, appointment: Appointment): Promise<'appointment-cancelled' | 'appointment-already-started'> {
	const now = await appointments.findAppointment(db, appointment.planId, appointment.id);
	return (now && notChangeable(now)) ?? 'appointment-already-started';
}

/** Moves an appointment that has not started to another time (not in the past); everyone asked to it is told. */
export async function moveAppointment(
	context: CommandContext,
	planId: string,
	input: MoveInput
): Promise<Outcome<{ code: 'appointment-moved'; params: { when: string } }, ChangeCode | InvalidCode | 'appointment-in-past'>> {
	const opened = await openAppointment(context, planId, input);
	if (!opened.ok) return opened;
	const { user, appointment } = opened.value;
	const blocked = notChangeable(appointment);
	if (blocked) return refused(blocked);
	// openAppointment has refused a form it could not read.
	const when = checkFutureTime(input?.when);
	if (!when.ok) return when;
	const moved = await appointments.moveAppointment(context.db, appointment.id, when.value, user.id);
	if (!moved) return refused(await changedMeanwhile(context.db, appointment));
	const detail = { appointmentId: appointment.id, from: moved.from.toISOString(), to: when.value.toISOString() };
	await auditAs(context, { action: 'appointment.moved', targetType: 'plan', targetId: planId, detail });
	await notify(context, await appointments.listAttendeeIds(context.db, appointment.id), {
		kind: 'appointment-moved',
		planId,
		params: { from: detail.from, when: detail.to }
	});
	return done({ code: 'appointment-moved', params: { when: detail.to } });
}

/** Cancels an appointment that has not started; it stays in the plan as cancelled, and everyone asked to it is told. */
export async function cancelAppointment(
	context: CommandContext,
	planId: string,
	input: AppointmentInput
): Promise<Outcome<{ code: 'appointment-cancelled-now' }, ChangeCode>> {
	const opened = await openAppointment(context, planId, input);
	if (!opened.ok) return opened;
	const { user, appointment } = opened.value;
	const blocked = notChangeable(appointment);
	if (blocked) return refused(blocked);
	if (!(await appointments.cancelAppointment(context.db, appointment.id, user.id))) return refused(await changedMeanwhile(context.db, appointment));
	await auditAs(context, { action: 'appointment.cancelled', targetType: 'plan', targetId: planId, detail: { appointmentId: appointment.id } });
	await notify(context, await appointments.listAttendeeIds(context.db, appointment.id), {
		kind: 'appointment-cancelled',
		planId,
		params: { when: appointment.scheduledFor.toISOString() }
	});
	return done({ code: 'appointment-cancelled-now' });
}
