import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenDatabase } from '../../db/client.ts';
import { listAppointments } from '../../db/appointments.ts';
import { findPlanCrisisContact } from '../../db/crisis-contacts.ts';
import { countUnreadNotifications, listNotifications } from '../../db/notifications.ts';
import { createPlan } from '../../db/plans.ts';
import { registerDatabase } from '../../db/registry.ts';
import type { User } from '../../db/schema/index.ts';
import { recordAuditEvent } from '../../db/audit.ts';
import { OPERATOR, type CommandContext } from '../../server/commands/actor.ts';
import { cancelAppointment, moveAppointment, scheduleAppointment, startAppointment } from '../../server/commands/appointments.ts';
import { addToCareTeam } from '../../server/commands/care-teams.ts';
import { readAllNotifications, readNotification } from '../../server/commands/notifications.ts';
import { clearTeamCrisisContact, setTeamCrisisContact } from '../../server/commands/teams.ts';
import { proposeAgreement, signOffVersion } from '../../server/commands/versions.ts';
import { startLivePlans, type LivePlansServer } from '../../server/live-plans.ts';
import { writeScriptedHistory } from '../../server/scripted-history.ts';
import { loadWaiting } from '../../src/lib/server/waiting.ts';
import { registerLivePlans } from '../../src/lib/shared/live-plans.ts';
import { wordsFor } from '../../src/lib/shared/outcome-words.ts';
import { auditEventsOf } from '../helpers/audit-events.ts';
import { createTestDatabase, testDatabaseKind } from '../helpers/database.ts';
import { makeAccount, makeCareSetting } from '../helpers/factories.ts';

// Moving and cancelling appointments, notifications (who gets them, and that only they can read or mark them), a
// team's crisis contact, and what "Waiting for you" finds: the commands called directly, on a real database.

let database: OpenDatabase;
let collab: LivePlansServer;
let setting: Awaited<ReturnType<typeof makeCareSetting>>;

beforeAll(async () => {
	database = await createTestDatabase();
	registerDatabase(database.db);
	collab = startLivePlans(database, undefined);
	registerLivePlans(collab);
	setting = await makeCareSetting(database.db);
});
afterAll(async () => {
	await collab?.close();
	registerLivePlans(undefined);
	registerDatabase(undefined);
	await database?.close();
});

const as = (person: User): CommandContext => ({ db: database.db, actor: { kind: 'person', user: person, ip: '192.0.2.9' } });

/** A `datetime-local` value (read in the server's time zone) `minutes` from now. */
function fieldValue(minutes: number): string {
	const at = new Date(Date.now() + minutes * 60_000);
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

async function freshPlan(): Promise<string> {
	const created = await createPlan(database.db, { title: 'Waiting plan', serviceUserId: setting.serviceUser.id, teamId: setting.team.id });
	if (!created.ok) throw new Error(created.error);
	for (const member of [setting.professional, setting.peerWorker])
		await addToCareTeam({ db: database.db, actor: OPERATOR }, created.value.id, { id: member.id });
	return created.value.id;
}

const kindsFor = async (person: User) => (await listNotifications(database.db, person.id)).map((notification) => notification.kind);

describe(`waiting for you (${testDatabaseKind})`, () => {
	it('refuses a booking in the past with words that say what to do, and books nothing', async () => {
		const planId = await freshPlan();
		const refusedBooking = await scheduleAppointment(as(setting.professional), planId, {
			when: fieldValue(-24 * 60),
			place: 'The hub',
			attendees: [setting.serviceUser.id]
		});
		expect(refusedBooking).toEqual({ ok: false, code: 'appointment-in-past' });
		expect(wordsFor(refusedBooking as { code: 'appointment-in-past' })).toMatch(/already passed.*still here/);
		expect(await listAppointments(database.db, planId)).toEqual([]);
		expect(await auditEventsOf(database.db, 'appointment.scheduled', planId)).toEqual([]);
		// The current minute is not the past.
		const now = await scheduleAppointment(as(setting.professional), planId, { when: fieldValue(0), place: '', attendees: [setting.serviceUser.id] });
		expect(now).toMatchObject({ ok: true, value: { code: 'appointment-booked' } });
	});

	it('moves and cancels a booked appointment for the care team only, records who did it, and tells everyone asked to it but them', async () => {
		const planId = await freshPlan();
		const attendees = [setting.serviceUser.id, setting.professional.id, setting.peerWorker.id];
		const booked = await scheduleAppointment(as(setting.professional), planId, { when: fieldValue(60), place: 'The café', attendees });
		if (!booked.ok) throw new Error(booked.code);
		const appointment = booked.value.appointment.id;
		// Booking tells the person and the peer worker, not the professional who booked it.
		expect(await kindsFor(setting.serviceUser)).toContain('appointment-booked');
		expect(await kindsFor(setting.peerWorker)).toContain('appointment-booked');
		expect(await kindsFor(setting.professional)).not.toContain('appointment-booked');

		const to = fieldValue(3 * 24 * 60);
		expect(await moveAppointment(as(setting.serviceUser), planId, { appointment, when: to })).toEqual({ ok: false, code: 'appointments-care-team-only' });
		expect(await moveAppointment(as(setting.outsider), planId, { appointment, when: to })).toEqual({ ok: false, code: 'plan-not-found' });
		expect(await moveAppointment(as(setting.supervisor), planId, { appointment, when: to })).toEqual({ ok: false, code: 'appointments-care-team-only' });
		expect(await moveAppointment(as(setting.peerWorker), planId, { appointment: crypto.randomUUID(), when: to })).toEqual({
			ok: false,
			code: 'appointment-not-found'
		});
		expect(await moveAppointment(as(setting.peerWorker), planId, { appointment, when: fieldValue(-90) })).toEqual({ ok: false, code: 'appointment-in-past' });
		expect(await moveAppointment(as(setting.peerWorker), planId, { appointment, when: 'tomorrow' })).toEqual({ ok: false, code: 'date-time-missing' });
		expect(await auditEventsOf(database.db, 'appointment.moved', planId)).toEqual([]);

		const moved = await moveAppointment(as(setting.peerWorker), planId, { appointment, when: to });
		expect(moved).toEqual({ ok: true, value: { code: 'appointment-moved', params: { when: new Date(to).toISOString() } } });
		const [afterMove] = await listAppointments(database.db, planId);
		expect(afterMove).toMatchObject({
			scheduledFor: new Date(to),
			movedFrom: booked.value.appointment.scheduledFor,
			movedBy: setting.peerWorker.id,
			movedByName: setting.peerWorker.displayName
		});
		expect(await auditEventsOf(database.db, 'appointment.moved', planId)).toEqual([
			expect.objectContaining({
				actorId: setting.peerWorker.id,
				detail: { appointmentId: appointment, from: booked.value.appointment.scheduledFor.toISOString(), to: new Date(to).toISOString() }
			})
		]);
		expect(await kindsFor(setting.professional)).toContain('appointment-moved');
		expect(await kindsFor(setting.peerWorker)).not.toContain('appointment-moved');

		expect(await cancelAppointment(as(setting.serviceUser), planId, { appointment })).toEqual({ ok: false, code: 'appointments-care-team-only' });
		expect(await cancelAppointment(as(setting.professional), planId, { appointment })).toEqual({ ok: true, value: { code: 'appointment-cancelled-now' } });
		expect(await cancelAppointment(as(setting.professional), planId, { appointment })).toEqual({ ok: false, code: 'appointment-cancelled' });
		expect(await moveAppointment(as(setting.professional), planId, { appointment, when: to })).toEqual({ ok: false, code: 'appointment-cancelled' });
		expect(await startAppointment(as(setting.professional), planId, { appointment })).toEqual({ ok: false, code: 'appointment-cancelled' });
		const [afterCancel] = await listAppointments(database.db, planId);
		expect(afterCancel).toMatchObject({ cancelledBy: setting.professional.id, cancelledByName: setting.professional.displayName, startedAt: null });
		expect(await auditEventsOf(database.db, 'appointment.cancelled', planId)).toEqual([
			expect.objectContaining({ actorId: setting.professional.id, detail: { appointmentId: appointment } })
		]);
		const cancelledNote = (await listNotifications(database.db, setting.serviceUser.id)).find((notification) => notification.kind === 'appointment-cancelled');
		expect(cancelledNote).toMatchObject({ actorName: setting.professional.displayName, plan: { id: planId }, params: { when: new Date(to).toISOString() } });
	});

	it('neither moves nor cancels an appointment that has started', async () => {
		const planId = await freshPlan();
		const booked = await scheduleAppointment(as(setting.professional), planId, { when: fieldValue(5), place: '', attendees: [setting.serviceUser.id] });
		if (!booked.ok) throw new Error(booked.code);
		const appointment = booked.value.appointment.id;
		expect(await startAppointment(as(setting.professional), planId, { appointment })).toMatchObject({ ok: true });
		expect(await moveAppointment(as(setting.professional), planId, { appointment, when: fieldValue(60) })).toEqual({
			ok: false,
			code: 'appointment-already-started'
		});
		expect(await cancelAppointment(as(setting.professional), planId, { appointment })).toEqual({ ok: false, code: 'appointment-already-started' });
	});

	it('asks the other side to agree, tells a professional they joined a care team, and lets only the recipient read or mark a notification', async () => {
		const planId = await freshPlan();
		const proposed = await proposeAgreement(as(setting.professional), planId, { name: 'Our plan for spring' });
		if (!proposed.ok) throw new Error(proposed.code);
		const asked = (await listNotifications(database.db, setting.serviceUser.id)).find((notification) => notification.kind === 'agreement-requested');
		expect(asked).toMatchObject({ actorName: setting.professional.displayName, plan: { id: planId }, params: { name: 'Our plan for spring' }, readAt: null });
		// Asked by the person: the care team's professionals are asked, and the person is not told of their own request.
		const before = await countUnreadNotifications(database.db, setting.serviceUser.id);
		await proposeAgreement(as(setting.serviceUser), planId, { name: 'My words' });
		expect(await countUnreadNotifications(database.db, setting.serviceUser.id)).toBe(before);
		expect(await kindsFor(setting.peerWorker)).toContain('agreement-requested');

		const newcomer = await makeAccount(database.db, 'professional', { discipline: 'nurse' });
		await addToCareTeam(as(setting.admin), planId, { id: newcomer.id }, { outsideTeam: true });
		expect(await listNotifications(database.db, newcomer.id)).toEqual([
			expect.objectContaining({ kind: 'care-team-added', actorName: setting.admin.displayName, plan: expect.objectContaining({ id: planId }) })
		]);

		// Someone else's notification is answered as not there, and stays unread.
		for (const stranger of [setting.professional, setting.outsider, setting.admin]) {
			expect(await readNotification(as(stranger), { notification: asked!.id })).toEqual({ ok: false, code: 'notification-not-found' });
		}
		expect(await readNotification(as(setting.professional), { notification: 'not-an-id' })).toEqual({ ok: false, code: 'notification-not-found' });
		expect(await readNotification({ db: database.db, actor: OPERATOR }, { notification: asked!.id })).toEqual({ ok: false, code: 'not-allowed' });
		await readAllNotifications(as(setting.professional));
		expect((await listNotifications(database.db, setting.serviceUser.id)).find((notification) => notification.id === asked!.id)?.readAt).toBeNull();

		expect(await readNotification(as(setting.serviceUser), { notification: asked!.id })).toEqual({ ok: true, value: { code: 'notification-read' } });
		expect((await listNotifications(database.db, setting.serviceUser.id)).find((notification) => notification.id === asked!.id)?.readAt).toBeInstanceOf(Date);
		// Reading it again is fine.
		expect(await readNotification(as(setting.serviceUser), { notification: asked!.id })).toEqual({ ok: true, value: { code: 'notification-read' } });
		expect(await readAllNotifications(as(setting.serviceUser))).toEqual({ ok: true, value: { code: 'notifications-all-read' } });
		expect(await countUnreadNotifications(database.db, setting.serviceUser.id)).toBe(0);
		expect(await countUnreadNotifications(database.db, newcomer.id)).toBe(1);
	});

	it('lets administrators set, check and clear a team’s crisis contact, recorded in the audit trail', async () => {
		const team = { id: setting.team.id };
		const contact = { name: 'Riverside crisis line', phone: '+44 1632 960 123', hours: 'Evenings and weekends', note: '' };
		expect(await setTeamCrisisContact(as(setting.professional), team, contact)).toEqual({ ok: false, code: 'not-allowed' });
		expect(await setTeamCrisisContact(as(setting.supervisor), team, contact)).toEqual({ ok: false, code: 'not-allowed' });
		const admin = as(setting.admin);
		expect(await setTeamCrisisContact(admin, team, null)).toEqual({ ok: false, code: 'form-unreadable' });
		expect(await setTeamCrisisContact(admin, { id: crypto.randomUUID() }, contact)).toEqual({ ok: false, code: 'team-not-found' });
		expect(await setTeamCrisisContact(admin, team, { ...contact, name: ' ' })).toEqual({ ok: false, code: 'crisis-contact-name-missing' });
		expect(await setTeamCrisisContact(admin, team, { ...contact, phone: 'call us' })).toEqual({ ok: false, code: 'crisis-contact-phone-invalid' });
		expect(await setTeamCrisisContact(admin, team, { ...contact, phone: '+1' })).toEqual({ ok: false, code: 'crisis-contact-phone-invalid' });
		expect(await setTeamCrisisContact(admin, team, { ...contact, hours: '' })).toEqual({ ok: false, code: 'crisis-contact-hours-missing' });
		expect(await setTeamCrisisContact(admin, team, { ...contact, note: 'x'.repeat(301) })).toEqual({
			ok: false,
			code: 'crisis-contact-too-long',
			params: { field: 'note', max: 300 }
		});
		expect(await findPlanCrisisContact(database.db, setting.plan.id)).toBeNull();

		expect(await setTeamCrisisContact(admin, team, contact)).toMatchObject({ ok: true });
		expect(await findPlanCrisisContact(database.db, setting.plan.id)).toMatchObject({ ...contact, note: null, updatedBy: setting.admin.id });
		expect(await findPlanCrisisContact(database.db, setting.otherPlan.id)).toBeNull();
		await setTeamCrisisContact(admin, team, { ...contact, hours: 'Any time' });
		expect(await findPlanCrisisContact(database.db, setting.plan.id)).toMatchObject({ hours: 'Any time' });
		expect(await auditEventsOf(database.db, 'team.crisis_contact_set', setting.team.id)).toHaveLength(2);

		expect(await clearTeamCrisisContact(as(setting.professional), team)).toEqual({ ok: false, code: 'not-allowed' });
		expect(await clearTeamCrisisContact(admin, team)).toMatchObject({ ok: true, value: { cleared: true } });
		expect(await clearTeamCrisisContact(admin, team)).toMatchObject({ ok: true, value: { cleared: false } });
		expect(await findPlanCrisisContact(database.db, setting.plan.id)).toBeNull();
		expect(await auditEventsOf(database.db, 'team.crisis_contact_cleared', setting.team.id)).toEqual([expect.objectContaining({ actorId: setting.admin.id })]);
	});

	it('finds what is waiting: a version to agree to, changes by others since the last look, an appointment today, a review due', async () => {
		const serviceUser = await makeAccount(database.db, 'service_user', { displayName: 'Rae' });
		const created = await createPlan(database.db, {
			title: 'Rae’s plan',
			serviceUserId: serviceUser.id,
			teamId: setting.team.id,
			reviewDate: new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10)
		});
		if (!created.ok) throw new Error(created.error);
		const planId = created.value.id;
		const worker = await makeAccount(database.db, 'professional', { displayName: 'Wren' });
		await addToCareTeam(as(setting.admin), planId, { id: worker.id }, { outsideTeam: true });
		const plans = [
			{
				id: planId,
				title: 'Rae’s plan',
				status: 'draft' as const,
				reviewDate: created.value.reviewDate,
				createdAt: new Date(),
				updatedAt: new Date(),
				serviceUser: { id: serviceUser.id, displayName: 'Rae' },
				team: { id: setting.team.id, name: setting.team.name }
			}
		];
		const kinds = async (person: User) => (await loadWaiting(person, plans)).map((item) => item.kind).sort();
		expect(await kinds(serviceUser)).toEqual(['review']);
		expect(await kinds(setting.supervisor)).toEqual(['review']);

		// Wren writes, Rae adds a word (she has seen the plan then), Wren writes again.
		const hour = 3600_000;
		const start = Date.now();
		await writeScriptedHistory(database.db, {
			planId,
			visits: [
				{ at: new Date(start - 3 * hour), by: worker.id, context: 'solo', writes: [{ section: 'hope', text: 'A first word' }] },
				{ at: new Date(start - 2 * hour), by: serviceUser.id, context: 'solo', writes: [{ section: 'hope', text: ' and mine' }] },
				{ at: new Date(start - hour), by: worker.id, context: 'solo', writes: [{ section: 'about', text: 'Later words' }] }
			]
		});
		const changes = (await loadWaiting(serviceUser, plans)).find((item) => item.kind === 'changes');
		expect(changes).toMatchObject({ kind: 'changes', by: ['Wren'], plan: { own: true } });
		if (changes?.kind !== 'changes') throw new Error('no changes');
		expect(changes.lastSeenAt!.getTime()).toBeGreaterThanOrEqual(start - 2 * hour);
		expect(changes.lastSeenAt!.getTime()).toBeLessThan(start - hour);
		expect(changes.lastChangeAt.getTime()).toBeGreaterThanOrEqual(start - hour);
		// Wren wrote after Rae's words, so has seen them: nothing new for Wren.
		expect((await loadWaiting(worker, plans)).some((item) => item.kind === 'changes')).toBe(false);
		expect(changes.fromSeq).toBeGreaterThan(0);
		await recordAuditEvent(database.db, { actorId: serviceUser.id, action: 'plan.viewed', targetType: 'plan', targetId: planId });
		expect(await kinds(serviceUser)).toEqual(['review']);

		const proposed = await proposeAgreement(as(worker), planId, { name: 'Spring plan' });
		if (!proposed.ok) throw new Error(proposed.code);
		const booked = await scheduleAppointment(as(worker), planId, { when: fieldValue(1), place: 'The hub', attendees: [serviceUser.id, worker.id] });
		if (!booked.ok) throw new Error(booked.code);
		const waiting = await loadWaiting(serviceUser, plans);
		expect(waiting.map((item) => item.kind).sort()).toEqual(['agree', 'appointment-today', 'review']);
		expect(waiting.find((item) => item.kind === 'agree')).toMatchObject({ versionId: proposed.value.version.id, versionName: 'Spring plan' });
		expect(waiting.find((item) => item.kind === 'appointment-today')).toMatchObject({
			appointmentId: booked.value.appointment.id,
			place: 'The hub',
			running: false
		});
		// Wren proposed it and agreed: nothing to agree to for Wren, nor for another professional of the care team.
		expect(await kinds(worker)).toEqual(['appointment-today', 'review']);
		expect((await kinds(setting.professional)).includes('agree')).toBe(false);

		// Rae's answer ends the request; a cancelled appointment is no longer today's.
		await signOffVersion(as(serviceUser), planId, { version: proposed.value.version.id, decision: 'agree' });
		await cancelAppointment(as(worker), planId, { appointment: booked.value.appointment.id });
		expect(await kinds(serviceUser)).toEqual(['review']);
	});
});
