import { and, asc, desc, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import { appointment, appointmentAttendee, planVersion, user, type Appointment } from './schema/index.ts';
import type { Database } from './types.ts';

export interface NewAppointment {
	planId: string;
	scheduledFor: Date;
	place: string | null;
	createdBy: string;
	attendees: string[];
}

/** Books an appointment with its attendees. */
export async function scheduleAppointment(db: Database, input: NewAppointment): Promise<Appointment> {
	return db.transaction(async (tx) => {
		const [row] = await tx
			.insert(appointment)
			.values({ planId: input.planId, scheduledFor: input.scheduledFor, place: input.place, createdBy: input.createdBy })
			.returning();
		if (input.attendees.length > 0) {
			await tx.insert(appointmentAttendee).values([...new Set(input.attendees)].map((userId) => ({ appointmentId: row!.id, userId })));
		}
		return row!;
	});
}

export interface AppointmentWithPeople extends Appointment {
	attendees: { id: string; name: string }[];
	versionSeq: number | null;
}

/** A plan's appointments, the next ones first, then past ones newest first. */
export async function listAppointments(db: Database, planId: string): Promise<AppointmentWithPeople[]> {
	const rows = await db
		.select({ appointment, versionSeq: planVersion.seq })
		.from(appointment)
		.leftJoin(planVersion, eq(appointment.versionId, planVersion.id))
		.where(eq(appointment.planId, planId))
		.orderBy(desc(appointment.scheduledFor));
	if (rows.length === 0) return [];
	const attendees = await db
		.select({ appointmentId: appointmentAttendee.appointmentId, id: user.id, name: user.displayName })
		.from(appointmentAttendee)
		.innerJoin(user, eq(appointmentAttendee.userId, user.id))
		.where(
			inArray(
				appointmentAttendee.appointmentId,
				rows.map((row) => row.appointment.id)
			)
		)
		.orderBy(asc(user.displayName));
	return rows.map((row) => ({
		...row.appointment,
		versionSeq: row.versionSeq,
		attendees: attendees.filter((attendee) => attendee.appointmentId === row.appointment.id).map(({ id, name }) => ({ id, name }))
	}));
}

export async function findAppointment(db: Database, planId: string, appointmentId: string): Promise<Appointment | null> {
	const [row] = await db
		.select()
		.from(appointment)
		.where(and(eq(appointment.planId, planId), eq(appointment.id, appointmentId)));
	return row ?? null;
}

/** The appointment running now for a plan (started, not ended), if any. */
export async function findRunningAppointment(db: Database, planId: string): Promise<Appointment | null> {
	const [row] = await db
		.select()
		.from(appointment)
		.where(and(eq(appointment.planId, planId), isNotNull(appointment.startedAt), isNull(appointment.endedAt)))
		.limit(1);
	return row ?? null;
}

/** Starts an appointment that has not started; false when it already has. */
export async function startAppointment(db: Database, appointmentId: string, userId: string): Promise<boolean> {
	const rows = await db
		.update(appointment)
		.set({ startedAt: new Date(), startedBy: userId })
		.where(and(eq(appointment.id, appointmentId), isNull(appointment.startedAt)))
		.returning({ id: appointment.id });
	return rows.length === 1;
}

/** Ends a running appointment; false when it is not running (so of two people ending it at once, one does). */
export async function endAppointment(db: Database, appointmentId: string, userId: string): Promise<boolean> {
	const rows = await db
		.update(appointment)
		.set({ endedAt: new Date(), endedBy: userId })
		.where(and(eq(appointment.id, appointmentId), isNotNull(appointment.startedAt), isNull(appointment.endedAt)))
		.returning({ id: appointment.id });
	return rows.length === 1;
}

/** Records the version pinned when an appointment ended. */
export async function setAppointmentVersion(db: Database, appointmentId: string, versionId: string): Promise<void> {
	await db
		.update(appointment)
		.set({ versionId })
		.where(and(eq(appointment.id, appointmentId), isNull(appointment.versionId)));
}

/** The version pinned at the end of the plan's most recent appointment. */
export async function lastAppointmentVersion(db: Database, planId: string): Promise<{ seq: number; endedAt: Date } | null> {
	const [row] = await db
		.select({ seq: planVersion.seq, endedAt: appointment.endedAt })
		.from(appointment)
		.innerJoin(planVersion, eq(appointment.versionId, planVersion.id))
		.where(and(eq(appointment.planId, planId), isNotNull(appointment.endedAt)))
		.orderBy(desc(appointment.endedAt))
		.limit(1);
	return row ? { seq: row.seq, endedAt: row.endedAt! } : null;
}
