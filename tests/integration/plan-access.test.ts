import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCareTeamChanges } from '../../db/access-log.ts';
import type { OpenDatabase } from '../../db/client.ts';
import {
	addCareTeamMember,
	createPlan,
	getPlanAccess,
	listCaseload,
	listCareTeam,
	listPlansOfServiceUser,
	listTeamPlans,
	removeCareTeamMember
} from '../../db/plans.ts';
import { listTeamMembers, removeTeamMember } from '../../db/teams.ts';
import { createTestDatabase, testDatabaseKind } from '../helpers/database.ts';
import { makeAccount, makeCareSetting } from '../helpers/factories.ts';

let database: OpenDatabase;
let setting: Awaited<ReturnType<typeof makeCareSetting>>;
beforeAll(async () => {
	database = await createTestDatabase();
	setting = await makeCareSetting(database.db);
});
afterAll(() => database.close());

describe(`who may see and change a plan (${testDatabaseKind})`, () => {
	it('answers edit, read or nothing for each role', async () => {
		const { plan, otherPlan } = setting;
		const cases: [keyof typeof setting, string, 'edit' | 'read' | null][] = [
			['serviceUser', plan.id, 'edit'],
			['serviceUser', otherPlan.id, null],
			['professional', plan.id, 'edit'],
			['peerWorker', plan.id, 'edit'],
			['professional', otherPlan.id, null],
			['outsider', plan.id, null],
			['outsider', otherPlan.id, 'edit'],
			['supervisor', plan.id, 'read'],
			['supervisor', otherPlan.id, null],
			['admin', plan.id, null],
			['otherServiceUser', plan.id, null]
		];
		for (const [who, planId, expected] of cases) {
			const person = setting[who] as { id: string; role: 'service_user' | 'professional' | 'supervisor' | 'admin' };
			expect(await getPlanAccess(database.db, person, planId), `${who} on ${planId === plan.id ? 'plan' : 'other plan'}`).toBe(expected);
		}
		expect(await getPlanAccess(database.db, setting.professional, crypto.randomUUID())).toBeNull();
	});

	it('lists each person’s plans by role', async () => {
		expect((await listPlansOfServiceUser(database.db, setting.serviceUser.id)).map((plan) => plan.id)).toEqual([setting.plan.id]);
		expect((await listCaseload(database.db, setting.professional.id)).map((plan) => plan.id)).toEqual([setting.plan.id]);
		expect((await listCaseload(database.db, setting.outsider.id)).map((plan) => plan.id)).toEqual([setting.otherPlan.id]);
		expect((await listTeamPlans(database.db, setting.supervisor.id)).map((plan) => plan.id)).toEqual([setting.plan.id]);
		const [summary] = await listPlansOfServiceUser(database.db, setting.serviceUser.id);
		expect(summary).toMatchObject({ serviceUser: { id: setting.serviceUser.id }, team: { id: setting.team.id } });
	});

	it('puts the service user and care-team professionals in the plan’s team', async () => {
		const members = (await listTeamMembers(database.db, setting.team.id)).map((member) => member.id);
		expect(members).toEqual(expect.arrayContaining([setting.serviceUser.id, setting.professional.id, setting.peerWorker.id, setting.supervisor.id]));
		expect((await listCareTeam(database.db, setting.plan.id)).map((member) => member.id).sort()).toEqual(
			[setting.professional.id, setting.peerWorker.id].sort()
		);
	});

	it('refuses plans for non-service-users and care-team places for non-professionals', async () => {
		expect(await createPlan(database.db, { title: 'x', serviceUserId: setting.professional.id, teamId: setting.team.id })).toEqual({
			ok: false,
			error: 'not_a_service_user'
		});
		expect(await createPlan(database.db, { title: 'x', serviceUserId: setting.serviceUser.id, teamId: crypto.randomUUID() })).toEqual({
			ok: false,
			error: 'unknown_team'
		});
		expect(await addCareTeamMember(database.db, setting.plan.id, setting.supervisor.id, null)).toEqual({ ok: false, error: 'not_a_professional' });
		expect(await addCareTeamMember(database.db, crypto.randomUUID(), setting.professional.id, null)).toEqual({ ok: false, error: 'unknown_plan' });
	});

	it('takes access away as soon as someone leaves the care team or the team', async () => {
		const local = await makeCareSetting(database.db);
		expect(await removeCareTeamMember(database.db, local.plan.id, local.professional.id, local.admin.id)).toBe(true);
		expect(await getPlanAccess(database.db, local.professional, local.plan.id)).toBeNull();
		expect(await removeTeamMember(database.db, local.team.id, local.supervisor.id)).toBe(true);
		expect(await getPlanAccess(database.db, local.supervisor, local.plan.id)).toBeNull();
	});

	it('records every care-team change in the audit trail with who made it, and lists them for the person and supervisors', async () => {
		const local = await makeCareSetting(database.db);
		const nurse = await makeAccount(database.db, 'professional', { displayName: 'Nia Nurse', discipline: 'nurse' });
		expect(await addCareTeamMember(database.db, local.plan.id, nurse.id, local.admin.id, { ip: '192.0.2.44' })).toEqual({ ok: true, value: true });
		// Adding someone already on it changes nothing and records nothing.
		expect(await addCareTeamMember(database.db, local.plan.id, nurse.id, local.admin.id)).toEqual({ ok: true, value: false });
		expect(await removeCareTeamMember(database.db, local.plan.id, nurse.id, null, { detail: { via: 'cli' } })).toBe(true);
		expect(await removeCareTeamMember(database.db, local.plan.id, nurse.id, local.admin.id)).toBe(false);

		const changes = await listCareTeamChanges(database.db, local.plan.id);
		const admin = { id: local.admin.id, name: local.admin.displayName, role: 'admin', discipline: null };
		const member = { id: nurse.id, name: 'Nia Nurse', role: 'professional', discipline: 'nurse' };
		expect(changes.slice(0, 2)).toEqual([
			{ at: expect.any(Date), change: 'removed', by: null, byCommandLine: true, member },
			{ at: expect.any(Date), change: 'added', by: admin, byCommandLine: false, member }
		]);
		// The setting's own care team was added by its administrator, and is listed too.
		expect(changes.slice(2).map((change) => [change.change, change.by?.id, change.member?.id])).toEqual(
			expect.arrayContaining([
				['added', local.admin.id, local.professional.id],
				['added', local.admin.id, local.peerWorker.id]
			])
		);
		expect(await listCareTeamChanges(database.db, local.otherPlan.id)).toEqual([
			expect.objectContaining({ member: expect.objectContaining({ id: local.outsider.id }) })
		]);
	});
});
