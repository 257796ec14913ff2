import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAccountById } from '../../db/accounts.ts';
import type { OpenDatabase } from '../../db/client.ts';
import { listAllPlans } from '../../db/plans.ts';
import type { User } from '../../db/schema/index.ts';
import { listUserSessions, validateSessionToken } from '../../db/session.ts';
import { addTeamMember } from '../../db/teams.ts';
import { OPERATOR, type CommandContext } from '../../server/commands/actor.ts';
import { changePersonDetails } from '../../server/commands/person-details.ts';
import { startPlan } from '../../server/commands/plans.ts';
import { endOtherSession, startSession } from '../../server/commands/sessions.ts';
import { auditEventsOf } from '../helpers/audit-events.ts';
import { createTestDatabase, testDatabaseKind } from '../helpers/database.ts';
import { makeAccount, makeCareSetting } from '../helpers/factories.ts';
import { DEFAULT_SIGN_IN_RULES, sessionLimitsOf } from '../../server/config.ts';

const LIMITS = sessionLimitsOf(DEFAULT_SIGN_IN_RULES);

// Correcting a person's details, signing out one device, and the warning before a plan is put in a team its person
// is not in: the commands as the pages and the command line call them, against a real database.

let database: OpenDatabase;
let setting: Awaited<ReturnType<typeof makeCareSetting>>;

beforeAll(async () => {
	database = await createTestDatabase();
	setting = await makeCareSetting(database.db);
});
afterAll(async () => {
	await database?.close();
});

const as = (person: User): CommandContext => ({ db: database.db, actor: { kind: 'person', user: person, ip: '192.0.2.7' } });
const ORIGIN = { ip: '192.0.2.7', userAgent: 'Mozilla/5.0 (Linux; Android 14) Chrome/131.0.0.0 Mobile Safari/537.36' };

describe(`editing people (${testDatabaseKind})`, () => {
	it('lets an administrator correct a name, username and discipline, audited by what changed', async () => {
		const nurse = await makeAccount(database.db, 'professional', { discipline: 'nurse', displayName: 'Kim Nurse' });
		const edited = await changePersonDetails(
			as(setting.admin),
			{ id: nurse.id },
			{ displayName: '  Kim   Nolan ', username: 'Kim.Nolan', discipline: 'psychologist' }
		);
		expect(edited).toMatchObject({ ok: true, value: { changed: ['displayName', 'username', 'discipline'] } });
		expect(await findAccountById(database.db, nurse.id)).toMatchObject({
			displayName: 'Kim Nolan',
			username: 'kim.nolan',
			discipline: 'psychologist',
			role: 'professional'
		});
		const [event] = await auditEventsOf(database.db, 'account.details_changed', nurse.id);
		expect(event).toMatchObject({ actorId: setting.admin.id, detail: { changed: ['displayName', 'username', 'discipline'] } });
		// The audit trail names what changed, never the old or new values.
		expect(JSON.stringify(event!.detail)).not.toMatch(/Kim|nolan/i);

		// Saving the same again changes nothing and records nothing.
		expect(
			await changePersonDetails(as(setting.admin), { id: nurse.id }, { displayName: 'Kim Nolan', username: 'kim.nolan', discipline: 'psychologist' })
		).toMatchObject({
			ok: true,
			value: { changed: [] }
		});
		expect(await auditEventsOf(database.db, 'account.details_changed', nurse.id)).toHaveLength(1);
	});

	it('refuses bad details and a taken username, and changes nothing then', async () => {
		const person = await makeAccount(database.db, 'service_user', { displayName: 'Ada' });
		const cases = [
			[{ displayName: '', username: person.username }, 'name-missing'],
			[{ displayName: 'x'.repeat(101), username: person.username }, 'name-too-long'],
			[{ displayName: 'Ada', username: 'no spaces please' }, 'username-characters'],
			[{ displayName: 'Ada', username: setting.professional.username }, 'username-taken']
		] as const;
		for (const [input, code] of cases) expect(await changePersonDetails(as(setting.admin), { id: person.id }, input), code).toMatchObject({ ok: false, code });
		// A service user has no discipline, whatever the form says.
		expect(
			await changePersonDetails(as(setting.admin), { id: person.id }, { displayName: 'Ada', username: person.username, discipline: 'nurse' })
		).toMatchObject({
			ok: true,
			value: { changed: [] }
		});
		expect(await findAccountById(database.db, person.id)).toMatchObject({ displayName: 'Ada', username: person.username, discipline: null });
	});

	it('is for administrators and the operator only', async () => {
		for (const person of [setting.professional, setting.supervisor, setting.serviceUser]) {
			expect(await changePersonDetails(as(person), { id: person.id }, { displayName: 'Me, renamed' })).toEqual({ ok: false, code: 'not-allowed' });
		}
		expect(
			await changePersonDetails({ db: database.db, actor: OPERATOR }, { username: setting.outsider.username }, { displayName: 'Renamed by the operator' })
		).toMatchObject({
			ok: true,
			value: { changed: ['displayName'] }
		});
		expect(await changePersonDetails(as(setting.admin), { id: '0b6f3f3e-8c1d-4b7a-9d52-5f0f6d2e1a77' }, { displayName: 'Nobody' })).toMatchObject({
			ok: false,
			code: 'account-not-found'
		});
	});
});

describe(`signing out one device (${testDatabaseKind})`, () => {
	it('ends that session only, and never someone else’s', async () => {
		const person = await makeAccount(database.db, 'service_user');
		const here = await startSession(database.db, person.id, ORIGIN);
		const phone = await startSession(database.db, person.id, ORIGIN);
		const stranger = await startSession(database.db, setting.serviceUser.id, ORIGIN);
		const idOf = async (token: string) => (await validateSessionToken(database.db, token, LIMITS)).session!.id;
		const [phoneId, strangerId] = [await idOf(phone.token), await idOf(stranger.token)];

		expect(await endOtherSession(as(person), person, strangerId)).toEqual({ ok: false, code: 'session-not-found' });
		expect((await validateSessionToken(database.db, stranger.token, LIMITS)).session).not.toBeNull();
		expect(await endOtherSession(as(person), person, 42)).toEqual({ ok: false, code: 'session-not-found' });

		expect(await endOtherSession(as(person), person, phoneId)).toEqual({ ok: true, value: undefined });
		expect((await validateSessionToken(database.db, phone.token, LIMITS)).session).toBeNull();
		expect((await validateSessionToken(database.db, here.token, LIMITS)).session).not.toBeNull();
		expect((await listUserSessions(database.db, person.id)).map((session) => session.id)).toEqual([await idOf(here.token)]);
		expect(await auditEventsOf(database.db, 'sign_out.device', person.id)).toHaveLength(1);
		expect(await endOtherSession(as(person), person, phoneId)).toEqual({ ok: false, code: 'session-not-found' });
	});
});

describe(`a plan in a team its person is not in (${testDatabaseKind})`, () => {
	it('is refused with a warning, and started only when the administrator means it', async () => {
		const person = await makeAccount(database.db, 'service_user', { displayName: 'Bea' });
		const input = { serviceUser: { id: person.id }, team: { id: setting.team.id }, title: 'Bea’s plan', reviewDate: '' };
		expect(await startPlan(as(setting.admin), input)).toEqual({
			ok: false,
			code: 'person-not-in-team',
			params: { name: 'Bea', team: setting.team.name }
		});
		expect((await listAllPlans(database.db)).some((plan) => plan.serviceUser.id === person.id)).toBe(false);
		expect(await startPlan(as(setting.admin), { ...input, outsideTeam: true })).toMatchObject({ ok: true });

		// In the team: no warning.
		const member = await makeAccount(database.db, 'service_user');
		await addTeamMember(database.db, setting.team.id, member.id);
		expect(await startPlan(as(setting.admin), { ...input, serviceUser: { id: member.id } })).toMatchObject({ ok: true });
	});
});
