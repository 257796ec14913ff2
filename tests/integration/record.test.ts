import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPlanViewers, recordPastPlanLooks } from '../../db/access-log.ts';
import { listAppointments } from '../../db/appointments.ts';
import type { OpenDatabase } from '../../db/client.ts';
import { listPlanVersions } from '../../db/plan-versions.ts';
import { addCareTeamMember, createPlan } from '../../db/plans.ts';
import { carePlan, invitation, requestReceipt, user, type User } from '../../db/schema/index.ts';
import type { CommandContext } from '../../server/commands/actor.ts';
import { scheduleAppointment } from '../../server/commands/appointments.ts';
import { linkForPlanOwner, openLink, useLink } from '../../server/commands/invitations.ts';
import { createPerson, newSignInLink } from '../../server/commands/people.ts';
import { startPlan } from '../../server/commands/plans.ts';
import { proposeAgreement, saveVersion, signOffVersion } from '../../server/commands/versions.ts';
import { startLivePlans, type LivePlansServer } from '../../server/live-plans.ts';
import { registerLivePlans } from '../../src/lib/shared/live-plans.ts';
import { wordsFor } from '../../src/lib/shared/outcome-words.ts';
import { createTestDatabase, testDatabaseKind } from '../helpers/database.ts';
import { makeAccount, makeCareSetting } from '../helpers/factories.ts';

// A record people can trust: a form sent twice acts once (server/commands/once.ts), a newer sign-in link stops the
// older ones, and "Who has seen my plan" counts visits.

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

const ORIGIN = { ip: '192.0.2.9', userAgent: 'record test' };
/** The context of one rendered form sent by `person`: the same key for every call made with it. */
const form = (person: User, requestKey: string | null = crypto.randomUUID()): CommandContext => ({
	db: database.db,
	actor: { kind: 'person', user: person, ip: ORIGIN.ip },
	requestKey
});

async function freshPlan(): Promise<string> {
	const created = await createPlan(database.db, { title: 'Record plan', serviceUserId: setting.serviceUser.id, teamId: setting.team.id });
	if (!created.ok) throw new Error(created.error);
	await addCareTeamMember(database.db, created.value.id, setting.professional.id, setting.admin.id);
	return created.value.id;
}

const openLinksOf = async (userId: string) =>
	(await database.db.select().from(invitation).where(eq(invitation.userId, userId))).filter((row) => !row.usedAt && !row.revokedAt);

describe(`a form sent twice acts once (${testDatabaseKind})`, () => {
	it('makes one agreed-to version of two identical "Mark as agreed" sent at once, and a second one for a new form', async () => {
		const planId = await freshPlan();
		const sent = form(setting.professional);
		const [first, second] = await Promise.all([proposeAgreement(sent, planId, { name: '' }), proposeAgreement(sent, planId, { name: '' })]);
		expect(first.ok && second.ok).toBe(true);
		if (!first.ok || !second.ok) return;
		expect(second.value.version.id).toBe(first.value.version.id);
		expect(second.value.version.createdAt).toEqual(first.value.version.createdAt);
		const versions = await listPlanVersions(database.db, planId);
		expect(versions).toHaveLength(1);
		expect(versions[0]!.signOffs).toHaveLength(1);
		// Left unnamed, nothing of ours is stored: pages call it by its kind ("Put forward for agreement …"), in the
		// reader's language.
		expect(versions[0]).toMatchObject({ kind: 'agreement', name: null });
		expect(first.value.version.name).toBeNull();

		// Sent again later, the same form still answers the same; a newly rendered form acts.
		expect(await proposeAgreement(sent, planId, { name: '' })).toMatchObject({ ok: true, value: { version: { id: first.value.version.id } } });
		expect(await proposeAgreement(form(setting.professional), planId, { name: 'Second' })).toMatchObject({ ok: true, value: { version: { name: 'Second' } } });
		expect(await listPlanVersions(database.db, planId)).toHaveLength(2);
	});

	it('saves one version of a double click, and gives the key back when the form was refused', async () => {
		const planId = await freshPlan();
		const sent = form(setting.serviceUser);
		expect(await saveVersion(sent, planId, { name: 'x'.repeat(121) })).toMatchObject({ ok: false, code: 'version-name-too-long' });
		const [first, second] = await Promise.all([saveVersion(sent, planId, { name: 'Mine' }), saveVersion(sent, planId, { name: 'Mine' })]);
		expect([first.ok, second.ok]).toEqual([true, true]);
		expect((await listPlanVersions(database.db, planId)).map((version) => version.name)).toEqual(['Mine']);
		// Without a key (the command line, an old page) each call acts.
		await saveVersion(form(setting.serviceUser, null), planId, { name: 'No key' });
		await saveVersion(form(setting.serviceUser, null), planId, { name: 'No key' });
		expect(await listPlanVersions(database.db, planId)).toHaveLength(3);
	});

	it('records one answer of two identical "I agree" sent at once', async () => {
		const planId = await freshPlan();
		const proposed = await proposeAgreement(form(setting.professional), planId, { name: 'Ours' });
		if (!proposed.ok) throw new Error(proposed.code);
		const sent = form(setting.serviceUser);
		const input = { version: proposed.value.version.id, decision: 'agree' };
		const answers = await Promise.all([signOffVersion(sent, planId, input), signOffVersion(sent, planId, input)]);
		expect(answers.map((answer) => answer.ok)).toEqual([true, true]);
		expect((await listPlanVersions(database.db, planId))[0]!.signOffs.map((signOff) => signOff.userId)).toEqual([
			setting.professional.id,
			setting.serviceUser.id
		]);
	});

	it('books one appointment of two identical bookings sent at once', async () => {
		const planId = await freshPlan();
		const sent = form(setting.professional);
		const booking = { when: '2030-05-01T10:00', place: 'The hub', attendees: [setting.serviceUser.id, setting.professional.id] };
		const [first, second] = await Promise.all([scheduleAppointment(sent, planId, booking), scheduleAppointment(sent, planId, booking)]);
		expect(first.ok && second.ok && first.value.appointment.id === second.value.appointment.id).toBe(true);
		expect(await listAppointments(database.db, planId)).toHaveLength(1);
	});

	it('makes one sign-in link of two identical requests, and keeps its token nowhere', async () => {
		const planId = await freshPlan();
		const sent = form(setting.professional);
		const made = await Promise.all([linkForPlanOwner(sent, planId), linkForPlanOwner(sent, planId)]);
		const tokens = made.map((outcome) => (outcome.ok ? outcome.value.token : 'refused'));
		// One answer carries the link; the repeat says it was made (shown once) and carries none.
		expect(tokens.filter((token) => token === null)).toHaveLength(1);
		const token = tokens.find((candidate) => typeof candidate === 'string' && candidate !== 'refused')!;
		expect(await openLinksOf(setting.serviceUser.id)).toHaveLength(1);
		expect((await openLink(database.db, token, null)).ok).toBe(true);
		const receipts = await database.db.select().from(requestReceipt).where(eq(requestReceipt.actorId, setting.professional.id));
		expect(JSON.stringify(receipts)).not.toContain(token);

		const admin = form(setting.admin);
		await Promise.all([newSignInLink(admin, { id: setting.serviceUser.id }), newSignInLink(admin, { id: setting.serviceUser.id })]);
		expect(await openLinksOf(setting.serviceUser.id)).toHaveLength(1);
		const adminReceipts = await database.db.select().from(requestReceipt).where(eq(requestReceipt.actorId, setting.admin.id));
		expect(JSON.stringify(adminReceipts)).not.toContain('$argon2');
	});

	it('creates one person and one plan of two identical forms sent at once', async () => {
		const admin = form(setting.admin);
		const username = `once-${crypto.randomUUID().slice(0, 8)}`;
		const person = { username, displayName: 'Once Only', role: 'service_user', discipline: '', team: { id: setting.team.id } };
		const created = await Promise.all([createPerson(admin, person), createPerson(admin, person)]);
		expect(created.map((outcome) => outcome.ok)).toEqual([true, true]);
		expect(await database.db.select().from(user).where(eq(user.username, username))).toHaveLength(1);
		const account = created[0]!.ok ? created[0]!.value.account : null;

		const plan = { serviceUser: { id: account!.id }, team: { id: setting.team.id }, title: '', reviewDate: '' };
		const sent = form(setting.admin);
		const started = await Promise.all([startPlan(sent, plan), startPlan(sent, plan)]);
		expect(started.map((outcome) => outcome.ok)).toEqual([true, true]);
		expect(await database.db.select().from(carePlan).where(eq(carePlan.serviceUserId, account!.id))).toHaveLength(1);
	});
});

describe(`sign-in links that were replaced (${testDatabaseKind})`, () => {
	it('refuses an older link once a newer one was made and used, saying it was replaced', async () => {
		const person = await makeAccount(database.db, 'service_user', { password: null });
		const older = await newSignInLink(form(setting.admin), { id: person.id });
		const newer = await newSignInLink(form(setting.admin), { id: person.id });
		if (!older.ok || !newer.ok) throw new Error('no link');
		const refusedOlder = await openLink(database.db, older.value.link.token!, null);
		expect(refusedOlder).toEqual({ ok: false, code: 'link-replaced' });
		const answers = { username: null, displayName: null, password: 'a calm new phrase', confirm: 'a calm new phrase' };
		expect((await useLink(database.db, newer.value.link.token!, null, answers, ORIGIN)).ok).toBe(true);
		expect(await useLink(database.db, older.value.link.token!, null, answers, ORIGIN)).toEqual({ ok: false, code: 'link-replaced' });
		expect(wordsFor({ code: 'link-replaced' })).toContain('replaced by a newer one');
	});
});

describe(`who has seen my plan (${testDatabaseKind})`, () => {
	it('counts one visit for looks less than 30 minutes apart, and keeps every look in the log', async () => {
		const planId = await freshPlan();
		const start = Date.now() - 5 * 3600_000;
		const at = (minutes: number) => new Date(start + minutes * 60_000);
		// One visit: opened, then the page loaded again after three forms were sent from it; a second visit 2 hours on.
		const looks = [0, 4, 9, 38, 160].map((minutes) => ({ userId: setting.professional.id, at: at(minutes), action: 'plan.viewed' as const }));
		await recordPastPlanLooks(database.db, planId, looks);
		await recordPastPlanLooks(database.db, planId, [{ userId: setting.serviceUser.id, at: at(1), action: 'plan.viewed' }]);
		expect(await listPlanViewers(database.db, planId, setting.serviceUser.id)).toEqual([
			expect.objectContaining({ id: setting.professional.id, visits: 2, lastAt: at(160) })
		]);
	});
});
