import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenDatabase } from '../../db/client.ts';
import { listAppointments } from '../../db/appointments.ts';
import { listPlanVersions } from '../../db/plan-versions.ts';
import { addCareTeamMember, createPlan, findPlanSummary } from '../../db/plans.ts';
import type { User } from '../../db/schema/index.ts';
import { OPERATOR, type CommandContext } from '../../server/commands/actor.ts';
import { endAppointment, scheduleAppointment, startAppointment } from '../../server/commands/appointments.ts';
import { exportInvolvement, exportPlan } from '../../server/commands/exports.ts';
import { isCareTeamProfessional, mayChange, openPlanFor } from '../../server/commands/plan-access.ts';
import { changePlanDetails } from '../../server/commands/plan-details.ts';
import { loadPlanDocAt } from '../../server/commands/plan-documents.ts';
import { restoreFromHistory, restoreOffers, undoRestore } from '../../server/commands/restore.ts';
import { proposeAgreement, saveVersion, signOffVersion } from '../../server/commands/versions.ts';
import { startLivePlans, type LivePlansServer } from '../../server/live-plans.ts';
import { registerLivePlans } from '../../src/lib/shared/live-plans.ts';
import { wordsFor } from '../../src/lib/shared/outcome-words.ts';
import { auditEventsOf } from '../helpers/audit-events.ts';
import { createTestDatabase, testDatabaseKind } from '../helpers/database.ts';
import { makeAccount, makeCareSetting } from '../helpers/factories.ts';
import { appendParagraph, sectionWords } from '../helpers/plan-doc.ts';

// The plan commands called directly, as the command line would, against a real database and an in-process
// collaboration server (the one that pins versions, counts appointments and applies restores).

let database: OpenDatabase;
let collab: LivePlansServer;
let setting: Awaited<ReturnType<typeof makeCareSetting>>;

beforeAll(async () => {
	database = await createTestDatabase();
	collab = startLivePlans(database, undefined);
	registerLivePlans(collab);
	setting = await makeCareSetting(database.db);
});
afterAll(async () => {
	await collab?.close();
	registerLivePlans(undefined);
	await database?.close();
});

const IP = '192.0.2.7';
const as = (person: User): CommandContext => ({ db: database.db, actor: { kind: 'person', user: person, ip: IP } });
const operator = (): CommandContext => ({ db: database.db, actor: OPERATOR });

/** A fresh plan of the setting's service user, with the professional and the peer worker on its care team. */
async function freshPlan(): Promise<string> {
	const created = await createPlan(database.db, { title: 'Fresh plan', serviceUserId: setting.serviceUser.id, teamId: setting.team.id });
	if (!created.ok) throw new Error(created.error);
	for (const member of [setting.professional, setting.peerWorker]) await addCareTeamMember(database.db, created.value.id, member.id, setting.admin.id);
	return created.value.id;
}

const eventsOf = (action: string, targetId: string) => auditEventsOf(database.db, action, targetId);

describe(`plan commands (${testDatabaseKind})`, () => {
	it('opens a plan for its people only, hiding it from everyone else and recording each refusal', async () => {
		const { plan } = setting;
		const mine = await openPlanFor(as(setting.serviceUser), plan.id);
		expect(mine).toMatchObject({ ok: true, value: { access: 'edit', plan: { id: plan.id } } });
		const supervised = await openPlanFor(as(setting.supervisor), plan.id);
		expect(supervised).toMatchObject({ ok: true, value: { access: 'read' } });
		if (!mine.ok || !supervised.ok) return;
		expect([mayChange(mine.value), isCareTeamProfessional(mine.value)]).toEqual([true, false]);
		expect([mayChange(supervised.value), isCareTeamProfessional(supervised.value)]).toEqual([false, false]);
		const professional = await openPlanFor(as(setting.professional), plan.id);
		expect(professional.ok && isCareTeamProfessional(professional.value)).toBe(true);

		const missing = crypto.randomUUID();
		for (const [context, planId] of [
			[as(setting.outsider), plan.id],
			[as(setting.admin), plan.id],
			[as(setting.outsider), missing],
			[operator(), plan.id]
		] as const) {
			expect(await openPlanFor(context, planId)).toEqual({ ok: false, code: 'plan-not-found' });
		}
		expect(await openPlanFor(as(setting.outsider), 'not-a-plan')).toEqual({ ok: false, code: 'plan-not-found' });
		const denied = await eventsOf('access.denied', plan.id);
		expect(denied.map((event) => [event.actorId, event.ip, event.detail])).toEqual(
			expect.arrayContaining([
				[setting.outsider.id, IP, null],
				[setting.admin.id, IP, null],
				[null, null, { via: 'cli' }]
			])
		);
		expect(await eventsOf('access.denied', missing)).toHaveLength(1);
	});

	it('changes the plan details for the care team’s professionals, after checking each field', async () => {
		const planId = await freshPlan();
		const details = { title: 'Our plan', reviewDate: '2031-05-01', status: 'active' };
		expect(await changePlanDetails(as(setting.serviceUser), planId, details)).toEqual({ ok: false, code: 'plan-details-care-team-only' });
		expect(await changePlanDetails(as(setting.supervisor), planId, details)).toEqual({ ok: false, code: 'plan-details-care-team-only' });
		expect(await changePlanDetails(as(setting.outsider), planId, details)).toEqual({ ok: false, code: 'plan-not-found' });
		expect(await changePlanDetails(as(setting.professional), planId, null)).toEqual({ ok: false, code: 'form-unreadable' });
		expect(await changePlanDetails(as(setting.professional), planId, { ...details, title: ' ' })).toEqual({ ok: false, code: 'plan-title-missing' });
		expect(await changePlanDetails(as(setting.professional), planId, { ...details, reviewDate: '1 May' })).toEqual({ ok: false, code: 'date-format' });
		expect(await changePlanDetails(as(setting.professional), planId, { ...details, status: 'lost' })).toEqual({ ok: false, code: 'plan-status-invalid' });
		expect(await eventsOf('plan.updated', planId)).toEqual([]);

		expect(await changePlanDetails(as(setting.professional), planId, details)).toEqual({ ok: true, value: { code: 'plan-details-saved' } });
		expect(await findPlanSummary(database.db, planId)).toMatchObject({ title: 'Our plan', reviewDate: '2031-05-01', status: 'active' });
		expect(await eventsOf('plan.updated', planId)).toEqual([
			expect.objectContaining({ actorId: setting.professional.id, ip: IP, detail: { reviewDate: '2031-05-01', status: 'active' } })
		]);
	});

	it('books, starts and ends appointments for the care team’s professionals, and saves the plan when one ends', async () => {
		const planId = await freshPlan();
		const booking = { when: '2031-03-04T10:00', place: 'The café', attendees: [setting.serviceUser.id, setting.professional.id] };
		expect(await scheduleAppointment(as(setting.serviceUser), planId, booking)).toEqual({ ok: false, code: 'appointments-care-team-only' });
		expect(await scheduleAppointment(as(setting.outsider), planId, booking)).toEqual({ ok: false, code: 'plan-not-found' });
		const professional = as(setting.professional);
		expect(await scheduleAppointment(professional, planId, null)).toEqual({ ok: false, code: 'form-unreadable' });
		expect(await scheduleAppointment(professional, planId, { ...booking, when: '' })).toEqual({ ok: false, code: 'date-time-missing' });
		const longPlace = await scheduleAppointment(professional, planId, { ...booking, place: 'x'.repeat(201) });
		expect(longPlace).toEqual({ ok: false, code: 'appointment-place-too-long', params: { max: 200 } });
		expect(!longPlace.ok && wordsFor(longPlace)).toBe('Please keep the place under 200 characters.');
		expect(await scheduleAppointment(professional, planId, { ...booking, attendees: [setting.outsider.id] })).toEqual({
			ok: false,
			code: 'appointment-attendees-invalid'
		});
		expect(await scheduleAppointment(professional, planId, { ...booking, attendees: [] })).toEqual({ ok: false, code: 'appointment-attendees-missing' });
		expect(await eventsOf('appointment.scheduled', planId)).toEqual([]);

		const booked = await scheduleAppointment(professional, planId, booking);
		expect(booked).toMatchObject({ ok: true, value: { code: 'appointment-booked' } });
		const other = await scheduleAppointment(as(setting.peerWorker), planId, booking);
		if (!booked.ok || !other.ok) throw new Error('not booked');
		const appointmentId = booked.value.appointment.id;
		expect(await eventsOf('appointment.scheduled', planId)).toHaveLength(2);

		expect(await startAppointment(as(setting.serviceUser), planId, { appointment: appointmentId })).toEqual({ ok: false, code: 'appointments-care-team-only' });
		expect(await startAppointment(professional, planId, { appointment: crypto.randomUUID() })).toEqual({ ok: false, code: 'appointment-not-found' });
		expect(await startAppointment(professional, planId, { appointment: 'nope' })).toEqual({ ok: false, code: 'appointment-not-found' });
		expect(await endAppointment(professional, planId, { appointment: appointmentId })).toEqual({ ok: false, code: 'appointment-not-running' });
		expect(await startAppointment(professional, planId, { appointment: appointmentId })).toEqual({ ok: true, value: { code: 'appointment-started' } });
		expect(await startAppointment(professional, planId, { appointment: appointmentId })).toEqual({ ok: false, code: 'appointment-already-running' });
		expect(await startAppointment(professional, planId, { appointment: other.value.appointment.id })).toEqual({
			ok: false,
			code: 'appointment-already-running'
		});
		expect(await eventsOf('appointment.started', planId)).toEqual([expect.objectContaining({ actorId: setting.professional.id, detail: { appointmentId } })]);

		const ended = await endAppointment(as(setting.peerWorker), planId, { appointment: appointmentId });
		expect(ended).toEqual({
			ok: true,
			value: { code: 'appointment-ended', params: { name: expect.stringMatching(/^After our appointment on \d{1,2} \w+ \d{4}$/) } }
		});
		expect(await endAppointment(professional, planId, { appointment: appointmentId })).toEqual({ ok: false, code: 'appointment-not-running' });
		const [version] = await listPlanVersions(database.db, planId);
		expect(version).toMatchObject({ kind: 'appointment', createdBy: setting.peerWorker.id });
		expect((await listAppointments(database.db, planId)).find((appointment) => appointment.id === appointmentId)).toMatchObject({ versionId: version!.id });
		expect(await eventsOf('appointment.ended', planId)).toEqual([
			expect.objectContaining({ actorId: setting.peerWorker.id, detail: { appointmentId, versionId: version!.id } })
		]);
	});

	it('saves versions and proposes agreement for the plan’s people, with a name of limited length', async () => {
		const planId = await freshPlan();
		expect(await saveVersion(as(setting.supervisor), planId, { name: 'Mine' })).toEqual({ ok: false, code: 'versions-plan-people-only' });
		expect(await proposeAgreement(as(setting.outsider), planId, { name: 'Mine' })).toEqual({ ok: false, code: 'plan-not-found' });
		expect(await saveVersion(as(setting.serviceUser), planId, null)).toEqual({ ok: false, code: 'form-unreadable' });
		expect(await saveVersion(as(setting.serviceUser), planId, { name: 'x'.repeat(121) })).toEqual({
			ok: false,
			code: 'version-name-too-long',
			params: { max: 120 }
		});
		expect(await eventsOf('version.created', planId)).toEqual([]);

		const saved = await saveVersion(as(setting.serviceUser), planId, { name: '  ' });
		expect(saved).toMatchObject({ ok: true, value: { code: 'version-saved', params: { name: expect.stringMatching(/^Saved \d/) } } });
		const agreed = await proposeAgreement(as(setting.professional), planId, { name: 'Our first plan' });
		expect(agreed).toMatchObject({ ok: true, value: { code: 'version-agreement-proposed', params: { name: 'Our first plan' } } });
		expect(agreed.ok && wordsFor(agreed.value)).toBe('“Our first plan” is saved with your agreement. It becomes agreed once both sides have said they agree.');
		if (!saved.ok || !agreed.ok) return;
		expect((await eventsOf('version.created', planId)).map((event) => [event.actorId, event.detail])).toEqual([
			[setting.serviceUser.id, { versionId: saved.value.version.id, seq: saved.value.version.seq, kind: 'manual' }],
			[setting.professional.id, { versionId: agreed.value.version.id, seq: agreed.value.version.seq, kind: 'agreement' }]
		]);
		expect((await eventsOf('version.signed_off', planId)).map((event) => event.detail)).toEqual([{ versionId: agreed.value.version.id, decision: 'agree' }]);
		const versions = await listPlanVersions(database.db, planId);
		expect(versions.find((version) => version.id === agreed.value.version.id)?.signOffs).toEqual([
			expect.objectContaining({ userId: setting.professional.id, decision: 'agree' })
		]);
	});

	it('records sign-offs: anyone of the plan agrees, only its person disagrees, and says why', async () => {
		const planId = await freshPlan();
		const pinned = await saveVersion(as(setting.professional), planId, { name: 'To agree' });
		if (!pinned.ok) throw new Error('not saved');
		const version = pinned.value.version.id;
		expect(await signOffVersion(as(setting.supervisor), planId, { version, decision: 'agree' })).toEqual({ ok: false, code: 'versions-plan-people-only' });
		expect(await signOffVersion(as(setting.outsider), planId, { version, decision: 'agree' })).toEqual({ ok: false, code: 'plan-not-found' });
		const person = as(setting.serviceUser);
		expect(await signOffVersion(person, planId, null)).toEqual({ ok: false, code: 'form-unreadable' });
		expect(await signOffVersion(person, planId, { version: 'latest', decision: 'agree' })).toEqual({ ok: false, code: 'version-missing' });
		expect(await signOffVersion(person, planId, { version: crypto.randomUUID(), decision: 'agree' })).toEqual({ ok: false, code: 'version-not-found' });
		expect(await signOffVersion(person, planId, { version, decision: 'maybe' })).toEqual({ ok: false, code: 'sign-off-decision-missing' });
		expect(await signOffVersion(as(setting.professional), planId, { version, decision: 'disagree', reason: 'No' })).toEqual({
			ok: false,
			code: 'sign-off-disagree-owner-only'
		});
		expect(await signOffVersion(person, planId, { version, decision: 'disagree', reason: '   ' })).toEqual({ ok: false, code: 'sign-off-reason-missing' });
		expect(await signOffVersion(person, planId, { version, decision: 'disagree', reason: 'x'.repeat(2001) })).toEqual({
			ok: false,
			code: 'sign-off-reason-too-long',
			params: { max: 2000 }
		});
		expect(await eventsOf('version.signed_off', planId)).toEqual([]);

		expect(await signOffVersion(person, planId, { version, decision: 'disagree', reason: ' Not my words ' })).toEqual({
			ok: true,
			value: { code: 'sign-off-disagreed', params: { name: 'To agree' } }
		});
		expect(await signOffVersion(as(setting.peerWorker), planId, { version, decision: 'agree' })).toEqual({
			ok: true,
			value: { code: 'sign-off-agreed', params: { name: 'To agree' } }
		});
		const [signedOff] = await listPlanVersions(database.db, planId);
		expect(signedOff!.signOffs.map((signOff) => [signOff.userId, signOff.decision, signOff.reason])).toEqual([
			[setting.serviceUser.id, 'disagree', 'Not my words'],
			[setting.peerWorker.id, 'agree', null]
		]);
		expect((await eventsOf('version.signed_off', planId)).map((event) => [event.actorId, event.detail])).toEqual([
			[setting.serviceUser.id, { versionId: version, decision: 'disagree' }],
			[setting.peerWorker.id, { versionId: version, decision: 'agree' }]
		]);
	});

	it('restores a section for the plan’s people once they confirm, as a change of the restorer', async () => {
		const planId = await freshPlan();
		const written = await collab.changePlan(planId, setting.serviceUser.id, (draft, writeAs) => {
			writeAs(setting.serviceUser.id);
			appendParagraph(draft, 'about', 'Words to take back');
		});
		expect(written).toBeGreaterThan(0);
		const restore = { target: 'about', confirmed: 'yes' };
		expect(await restoreFromHistory(as(setting.supervisor), planId, 0, restore)).toEqual({ ok: false, code: 'restore-plan-people-only' });
		expect(await restoreFromHistory(as(setting.outsider), planId, 0, restore)).toEqual({ ok: false, code: 'plan-not-found' });
		const professional = as(setting.professional);
		expect(await restoreFromHistory(professional, planId, written + 100, restore)).toEqual({ ok: false, code: 'version-not-found' });
		expect(await restoreFromHistory(professional, planId, -1, restore)).toEqual({ ok: false, code: 'version-not-found' });
		expect(await restoreFromHistory(professional, planId, 0, null)).toEqual({ ok: false, code: 'form-unreadable' });
		expect(await restoreFromHistory(professional, planId, 0, { ...restore, target: 'everything' })).toEqual({ ok: false, code: 'restore-target-missing' });
		expect(await restoreFromHistory(professional, planId, 0, { ...restore, confirmed: 'no' })).toEqual({ ok: false, code: 'restore-not-confirmed' });
		expect(await eventsOf('plan.restored', planId)).toEqual([]);

		// Emptying the section removes the person's words: only with the fingerprint of what the restorer was shown.
		expect(await restoreFromHistory(professional, planId, 0, restore)).toEqual({ ok: false, code: 'restore-preview-outdated', params: { target: 'about' } });
		const offers = await restoreOffers(database.db, planId, 0, setting.professional);
		expect(offers.previews.about).toMatchObject({ same: false, empties: true, removes: true, removesWordsOf: [setting.serviceUser.id] });
		expect(offers.previews.about.parts).toEqual([
			{ part: 'about', removed: [{ text: 'Words to take back', writers: [setting.serviceUser.id] }], added: [], empties: true }
		]);
		const restored = await restoreFromHistory(professional, planId, 0, { ...restore, seen: offers.previews.about.fingerprint });
		expect(restored).toEqual({ ok: true, value: { code: 'plan-restored', params: { target: 'about' }, seq: expect.any(Number) } });
		if (!restored.ok) return;
		expect(restored.value.seq).toBeGreaterThan(written);
		expect(wordsFor(restored.value)).toMatch(/^“.+” is back as it was in this version\./);
		const after = await loadPlanDocAt(database.db, planId, restored.value.seq);
		expect(sectionWords(after, 'about')).toBe('');
		after.destroy();
		const again = await restoreFromHistory(professional, planId, 0, { target: 'plan', confirmed: 'yes' });
		expect(again).toEqual({ ok: false, code: 'restore-no-change', params: { target: 'plan' } });
		expect(!again.ok && wordsFor(again)).toBe('The whole plan is the same as now: there is nothing to bring back.');
		expect(await collab.committedSeq(planId)).toBe(restored.value.seq);
		expect((await eventsOf('plan.restored', planId)).map((event) => [event.actorId, event.detail])).toEqual([
			[setting.professional.id, { fromSeq: 0, target: 'about', newSeq: restored.value.seq }]
		]);

		// The person whose plan it is undoes it: their words are back, as a change of theirs.
		expect(await undoRestore(as(setting.peerWorker), planId, restored.value.seq)).toEqual({ ok: false, code: 'restore-undo-not-yours' });
		expect(await undoRestore(professional, planId, written)).toEqual({ ok: false, code: 'restore-undo-not-a-restore' });
		const undone = await undoRestore(as(setting.serviceUser), planId, restored.value.seq);
		expect(undone).toEqual({ ok: true, value: { code: 'restore-undone', params: { target: 'about' }, seq: restored.value.seq + 1 } });
		const back = await loadPlanDocAt(database.db, planId, restored.value.seq + 1);
		expect(sectionWords(back, 'about')).toBe('Words to take back');
		back.destroy();
		// Undone once: what the restore brought back is gone, so there is nothing left to undo.
		expect(await undoRestore(professional, planId, restored.value.seq)).toEqual({ ok: false, code: 'restore-undo-outdated', params: { target: 'about' } });
		expect((await eventsOf('plan.restored', planId)).at(-1)).toMatchObject({
			actorId: setting.serviceUser.id,
			detail: { fromSeq: restored.value.seq - 1, target: 'about', newSeq: restored.value.seq + 1, undoes: restored.value.seq }
		});
	});

	it('gives a plan’s copy to whoever may read it, and records it', async () => {
		const { plan } = setting;
		expect(await exportPlan(as(setting.outsider), plan.id)).toEqual({ ok: false, code: 'plan-not-found' });
		expect(await exportPlan(operator(), plan.id)).toEqual({ ok: false, code: 'plan-not-found' });
		const copy = await exportPlan(as(setting.supervisor), plan.id);
		expect(copy).toMatchObject({ ok: true, value: { text: expect.stringContaining(plan.title), day: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) } });
		expect(await eventsOf('plan.exported', plan.id)).toEqual([expect.objectContaining({ actorId: setting.supervisor.id, ip: IP, detail: { format: 'text' } })]);
	});

	it('exports a team’s involvement to its supervisors only, and records it', async () => {
		const { supervisor, team, otherTeam } = setting;
		expect(await exportInvolvement(as(setting.professional), { team: team.id, format: 'json' })).toEqual({ ok: false, code: 'involvement-supervisors-only' });
		expect(await exportInvolvement(operator(), { team: team.id, format: 'json' })).toEqual({ ok: false, code: 'involvement-supervisors-only' });
		expect(await exportInvolvement(as(supervisor), { team: team.id, format: 'xml' })).toEqual({ ok: false, code: 'export-format-invalid' });
		expect(await exportInvolvement(as(supervisor), { team: 'riverside', format: null })).toEqual({ ok: false, code: 'team-id-invalid' });
		expect(await exportInvolvement(as(supervisor), { team: otherTeam.id, format: null })).toEqual({ ok: false, code: 'team-not-overseen' });
		const teamless = await makeAccount(database.db, 'supervisor');
		expect(await exportInvolvement(as(teamless), { team: null, format: 'csv' })).toEqual({ ok: false, code: 'team-choice-needed' });
		expect(await eventsOf('involvement.exported', team.id)).toEqual([]);

		const exported = await exportInvolvement(as(supervisor), { team: null, format: 'csv' });
		expect(exported).toMatchObject({
			ok: true,
			value: { team: { id: team.id }, format: 'csv', rows: expect.arrayContaining([expect.objectContaining({ plan_id: setting.plan.id })]) }
		});
		if (!exported.ok) return;
		expect(await eventsOf('involvement.exported', team.id)).toEqual([
			expect.objectContaining({ actorId: supervisor.id, detail: { format: 'csv', plans: exported.value.rows.length } })
		]);
	});
});
