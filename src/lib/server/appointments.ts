import { wordsFor } from '$lib/shared/outcome-words';
import { fail, type ActionFailure, type RequestEvent } from '@sveltejs/kit';
import { endAppointment, findAppointment, findRunningAppointment, scheduleAppointment, setAppointmentVersion, startAppointment } from '$db/appointments';
import { listCareTeam } from '$db/plans';
import { formatDate } from '$lib/shared/dates';
import { getLivePlans } from '$lib/shared/live-plans';
import { checkDateTime, isUuid } from '$lib/shared/validation';
import { audit } from './audit';
import { db } from './db';
import { readForm, UNREADABLE_FORM } from './forms';
import { pinVersion } from './history/versions';
import { openPlan, type OpenPlan } from './plan-access';

type Failure = ActionFailure<{ form: 'appointment'; message: string }>;
const failWith = (status: number, message: string): Failure => fail(status, { form: 'appointment' as const, message });

/** Appointments are booked, started and ended by the professionals of the plan's care team. */
async function openForAppointments(event: RequestEvent<{ id: string }>): Promise<{ opened: OpenPlan; form: FormData } | Failure> {
	const opened = await openPlan(event);
	if (opened.access !== 'edit' || opened.user.role !== 'professional') {
		return failWith(403, 'Only the professionals on this care team can book, start or end appointments.');
	}
	const form = await readForm(event);
	if (!form) return failWith(400, UNREADABLE_FORM);
	return { opened, form };
}

const PLACE_MAX = 200;

export async function scheduleAppointmentAction(event: RequestEvent<{ id: string }>) {
	const started = await openForAppointments(event);
	if (!('opened' in started)) return started;
	const { opened, form } = started;
	const when = checkDateTime(form.get('when'));
	if (!when.ok) return failWith(400, wordsFor(when));
	const placeText = form.get('place');
	const place = typeof placeText === 'string' ? placeText.trim() : '';
	if (place.length > PLACE_MAX) return failWith(400, `Please keep the place under ${PLACE_MAX} characters.`);
	const careTeam = await listCareTeam(db(), opened.plan.id);
	const allowed = new Set([opened.plan.serviceUser.id, ...careTeam.map((member) => member.id)]);
	const attendees = form.getAll('attendee').filter((value): value is string => typeof value === 'string');
	if (attendees.some((id) => !isUuid(id) || !allowed.has(id))) return failWith(400, 'Attendees must be the person and members of their care team.');
	if (attendees.length === 0) return failWith(400, 'Please choose who will be there.');
	const booked = await scheduleAppointment(db(), { planId: opened.plan.id, scheduledFor: when.value, place: place || null, createdBy: opened.user.id, attendees });
	await audit(event, { action: 'appointment.scheduled', targetType: 'plan', targetId: opened.plan.id, detail: { appointmentId: booked.id } });
	return { form: 'appointment' as const, saved: true, message: 'The appointment is booked.' };
}

async function findOwnAppointment(opened: OpenPlan, form: FormData) {
	const id = form.get('appointment');
	return isUuid(id) ? findAppointment(db(), opened.plan.id, id) : null;
}

export async function startAppointmentAction(event: RequestEvent<{ id: string }>) {
	const started = await openForAppointments(event);
	if (!('opened' in started)) return started;
	const { opened, form } = started;
	const appointment = await findOwnAppointment(opened, form);
	if (!appointment) return failWith(404, 'This plan has no such appointment.');
	if (await findRunningAppointment(db(), opened.plan.id)) return failWith(409, 'An appointment is already running for this plan. End it first.');
	if (!(await startAppointment(db(), appointment.id, opened.user.id))) return failWith(409, 'This appointment has already started.');
	await getLivePlans().appointmentChanged(opened.plan.id);
	await audit(event, { action: 'appointment.started', targetType: 'plan', targetId: opened.plan.id, detail: { appointmentId: appointment.id } });
	return { form: 'appointment' as const, saved: true, message: 'The appointment has started. Changes from now on count as made together.' };
}

export async function endAppointmentAction(event: RequestEvent<{ id: string }>) {
	const started = await openForAppointments(event);
	if (!('opened' in started)) return started;
	const { opened, form } = started;
	const appointment = await findOwnAppointment(opened, form);
	if (!appointment) return failWith(404, 'This plan has no such appointment.');
	if (!appointment.startedAt || appointment.endedAt) return failWith(409, 'This appointment is not running.');
	// Ending first: of two people ending it at once, exactly one goes on to pin the version.
	if (!(await endAppointment(db(), appointment.id, opened.user.id))) return failWith(409, 'This appointment is not running.');
	const live = getLivePlans();
	await live.appointmentChanged(opened.plan.id);
	const version = await pinVersion(opened.plan.id, opened.user.id, 'appointment', `After our appointment on ${formatDate(new Date().toISOString().slice(0, 10))}`);
	await setAppointmentVersion(db(), appointment.id, version.id);
	await audit(event, { action: 'appointment.ended', targetType: 'plan', targetId: opened.plan.id, detail: { appointmentId: appointment.id, versionId: version.id } });
	return { form: 'appointment' as const, saved: true, message: `The appointment has ended. The plan is saved as “${version.name}”.` };
}
