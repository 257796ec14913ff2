import { alias } from 'drizzle-orm/pg-core';
import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, lt } from 'drizzle-orm';
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
	/** Who moved it last, and who cancelled it. */
	movedByName: string | null;
	cancelledByName: string | null;
}

const mover = alias(user, 'mover');
const canceller = alias(user, 'canceller');

/** A plan's appointments, the next ones first, then past ones newest first. */
export async function listAppointments(db: Database, planId: string): Promise<AppointmentWithPeople[]> {
	const rows = await db
		.select({ appointment, versionSeq: planVersion.seq, movedByName: mover.displayName, cancelledByName: canceller.displayName })
		.from(appointment)
		.leftJoin(planVersion, eq(appointment.versionId, planVersion.id))
		.leftJoin(mover, eq(appointment.movedBy, mover.id))
		.leftJoin(canceller, eq(appointment.cancelledBy, canceller.id))
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
		movedByName: row.movedByName,
		cancelledByName: row.cancelledByName,
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

/** Starts an appointment that has not started and is not cancelled; false when it has or is. */
export async function startAppointment(db: Database, appointmentId: string, userId: string): Promise<boolean> {
	const rows = await db
		.update(appointment)
		.set({ startedAt: new Date(), startedBy: userId })
		.where(and(eq(appointment.id, appointmentId), isNull(appointment.startedAt), isNull(appointment.cancelledAt)))
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

/** An appointment that can still be moved or cancelled: not started, not cancelled. */
const stillBooked = (appointmentId: string) => and(eq(appointment.id, appointmentId), isNull(appointment.startedAt), isNull(appointment.cancelledAt));

/** Moves an appointment that has not started to another time. @returns the time it had, or null when it cannot move. */
export async function moveAppointment(db: Database, appointmentId: string, to: Date, userId: string): Promise<{ from: Date } | null> {
	return db.transaction(async (tx) => {
		const [current] = await tx.select({ scheduledFor: appointment.scheduledFor }).from(appointment).where(stillBooked(appointmentId)).for('update');
		if (!current) return null;
		await tx
			.update(appointment)
			.set({ scheduledFor: to, movedAt: new Date(), movedBy: userId, movedFrom: current.scheduledFor })
			.where(eq(appointment.id, appointmentId));
		return { from: current.scheduledFor };
	});
}

/** Cancels an appointment that has not started. @returns false when it has started or was already cancelled. */
export async function cancelAppointment(db: Database, appointmentId: string, userId: string): Promise<boolean> {
	const rows = await db
		.update(appointment)
		.set({ cancelledAt: new Date(), cancelledBy: userId })
		.where(stillBooked(appointmentId))
		.returning({ id: appointment.id });
	return rows.length === 1;
}

/** Who is asked to be at an appointment. */
export async function listAttendeeIds(db: Database, appointmentId: string): Promise<string[]> {
	const rows = await db.select({ userId: appointmentAttendee.userId }).from(appointmentAttendee).where(eq(appointmentAttendee.appointmentId, appointmentId));
	return rows.map((row) => row.userId);
}

/** A person's appointments in [from, to) on these plans that are neither cancelled nor over, earliest first. */
export async function listAttendingBetween(
	db: Database,
	userId: string,
	planIds: readonly string[],
	from: Date,
	to: Date
): Promise<{ id: string; planId: string; scheduledFor: Date; place: string | null; startedAt: Date | null }[]> {
	if (planIds.length === 0) return [];
	return db
		.select({
			id: appointment.id,
			planId: appointment.planId,
			scheduledFor: appointment.scheduledFor,
			place: appointment.place,
			startedAt: appointment.startedAt
		})
		.from(appointment)
		.innerJoin(appointmentAttendee, and(eq(appointmentAttendee.appointmentId, appointment.id), eq(appointmentAttendee.userId, userId)))
		.where(
			and(
				inArray(appointment.planId, [...planIds]),
				gte(appointment.scheduledFor, from),
				lt(appointment.scheduledFor, to),
				isNull(appointment.cancelledAt),
				isNull(appointment.endedAt)
			)
		)
		.orderBy(asc(appointment.scheduledFor));
}
