import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAccountById } from '../../db/accounts.ts';
import type { OpenDatabase } from '../../db/client.ts';
import { listCareTeam } from '../../db/plans.ts';
import type { User } from '../../db/schema/index.ts';
import { listTeamMembers } from '../../db/teams.ts';
import { OPERATOR, type CommandContext } from '../../server/commands/actor.ts';
import { addToCareTeam, removeFromCareTeam } from '../../server/commands/care-teams.ts';
import { cancelMyLinks, linkForPlanOwner, openLink, useLink } from '../../server/commands/invitations.ts';
import { createPerson, disablePerson, enablePerson, newSignInLink } from '../../server/commands/people.ts';
import { startPlan } from '../../server/commands/plans.ts';
import { changeOwnPassword, signInWithPassword } from '../../server/commands/sessions.ts';
import { createNamedTeam, joinTeam, leaveTeam } from '../../server/commands/teams.ts';
import { wordsFor } from '../../src/lib/shared/outcome-words.ts';
import { auditEventsOf } from '../helpers/audit-events.ts';
import { createTestDatabase, testDatabaseKind } from '../helpers/database.ts';
import { makeAccount, makeCareSetting, TEST_PASSWORD } from '../helpers/factories.ts';

// The administration, sign-in link and account commands called directly, as pages and the command line call them,
// against a real database: who may not, bad input, the checks the pages had and the command line lacked, and the
// audit events each writes.

let database: OpenDatabase;
let setting: Awaited<ReturnType<typeof makeCareSetting>>;

beforeAll(async () => {
	database = await createTestDatabase();
	setting = await makeCareSetting(database.db);
});
const onTeardown: (() => Promise<void>)[] = [];
afterAll(async () => {
	for (const teardown of onTeardown) await teardown();
	await database?.close();
});

const IP = '192.0.2.9';
const as = (person: User): CommandContext => ({ db: database.db, actor: { kind: 'person', user: person, ip: IP } });
const operator = (): CommandContext => ({ db: database.db, actor: OPERATOR });
const ORIGIN = { ip: IP, userAgent: 'test' };

const eventsOf = (action: string, targetId: string) => auditEventsOf(database.db, action, targetId);

describe(`administration commands (${testDatabaseKind})`, () => {
	it('lets only administrators and the operator administer', async () => {
		for (const person of [setting.professional, setting.supervisor, setting.serviceUser]) {
			expect(await createNamedTeam(as(person), 'Not mine'), person.role).toEqual({ ok: false, code: 'not-allowed' });
			expect(await disablePerson(as(person), { id: setting.outsider.id })).toEqual({ ok: false, code: 'not-allowed' });
			expect(await addToCareTeam(as(person), setting.plan.id, { id: setting.outsider.id })).toEqual({ ok: false, code: 'not-allowed' });
		}
		expect((await findAccountById(database.db, setting.outsider.id))!.disabledAt).toBeNull();
	});

	it('refuses to disable the last active administrator, from a page and from the command line alike', async () => {
		// A database of its own, so that this administrator is the only one.
		const fresh = await createTestDatabase();
		onTeardown.push(() => fresh.close());
		const { db } = fresh;
		const onlyAdmin = await makeAccount(db, 'admin');
		const context = (actor: CommandContext['actor']): CommandContext => ({ db, actor });
		expect(await disablePerson(context(OPERATOR), { username: onlyAdmin.username })).toEqual({ ok: false, code: 'last-admin' });
		expect(await disablePerson(context({ kind: 'person', user: onlyAdmin, ip: IP }), { id: onlyAdmin.id })).toEqual({ ok: false, code: 'own-account' });
		const second = await makeAccount(db, 'admin');
		const disabled = await disablePerson(context({ kind: 'person', user: second, ip: IP }), { id: onlyAdmin.id });
		expect(disabled.ok).toBe(true);
		// Now `second` is the last one: nobody may disable it, the operator included.
		expect(await disablePerson(context(OPERATOR), { id: second.id })).toEqual({ ok: false, code: 'last-admin' });
		expect(await enablePerson(context(OPERATOR), { username: onlyAdmin.username })).toMatchObject({ ok: true });
	});

	it('creates a person in a team with the same audit events from the command line as from the page', async () => {
		const created = await createPerson(operator(), {
			username: 'kai.r',
			displayName: 'Kai R',
			role: 'professional',
			discipline: 'nurse',
			team: { name: setting.team.name.toUpperCase() }
		});
		expect(created.ok).toBe(true);
		if (!created.ok) return;
		const { account, team, link } = created.value;
		expect(team?.id).toBe(setting.team.id);
		expect(link.purpose).toBe('first_password');
		expect((await listTeamMembers(database.db, setting.team.id)).map((member) => member.id)).toContain(account.id);
		const [createdEvent] = await eventsOf('account.created', account.id);
		expect(createdEvent).toMatchObject({ actorId: null, detail: { role: 'professional', discipline: 'nurse', via: 'cli' } });
		const [joined] = await eventsOf('team.member_added', setting.team.id);
		expect(joined).toMatchObject({ actorId: null, detail: { userId: account.id, via: 'cli' } });

		const byAdmin = await createPerson(as(setting.admin), {
			username: 'lou.p',
			displayName: 'Lou P',
			role: 'service_user',
			discipline: '',
			team: { id: setting.otherTeam.id }
		});
		expect(byAdmin.ok).toBe(true);
		const joinedByAdmin = await eventsOf('team.member_added', setting.otherTeam.id);
		expect(joinedByAdmin.at(-1)).toMatchObject({ actorId: setting.admin.id, ip: IP });
	});

	it('answers bad input and clashes with codes that have words, changing nothing', async () => {
		const cases = [
			[await createPerson(operator(), { username: 'x', displayName: 'X', role: 'service_user', discipline: null, team: null }), 'username-length'],
			[await createPerson(operator(), { username: 'zed', displayName: 'Zed', role: 'boss', discipline: null, team: null }), 'role-invalid'],
			[await createPerson(operator(), { username: 'zed', displayName: 'Zed', role: 'professional', discipline: null, team: null }), 'discipline-missing'],
			[
				await createPerson(operator(), { username: 'zed', displayName: 'Zed', role: 'service_user', discipline: null, team: { name: 'Nope' } }),
				'team-not-found'
			],
			[
				await createPerson(operator(), { username: setting.admin.username, displayName: 'Again', role: 'admin', discipline: null, team: null }),
				'username-taken'
			],
			[await createNamedTeam(operator(), setting.team.name), 'team-name-taken'],
			[await joinTeam(operator(), { id: setting.team.id }, { id: setting.admin.id }), 'admin-not-in-teams'],
			[await joinTeam(operator(), { id: 'nope' }, { id: setting.admin.id }), 'team-and-person-missing'],
			[
				await startPlan(operator(), { serviceUser: { username: setting.professional.username }, team: { id: setting.team.id }, title: '', reviewDate: '' }),
				'not-a-service-user'
			],
			[
				await startPlan(operator(), { serviceUser: { id: setting.serviceUser.id }, team: { id: setting.team.id }, title: '', reviewDate: '2027-02-30' }),
				'date-impossible'
			],
			[await addToCareTeam(operator(), 'not-an-id', { id: setting.outsider.id }), 'plan-id-invalid'],
			[await addToCareTeam(operator(), setting.plan.id, { id: setting.serviceUser.id }), 'not-a-professional'],
			[await newSignInLink(operator(), { username: 'nobody' }), 'account-not-found']
		] as const;
		for (const [outcome, code] of cases) {
			expect(outcome, code).toMatchObject({ ok: false, code });
			if (!outcome.ok) expect(wordsFor(outcome).length, code).toBeGreaterThan(10);
		}
		expect(await findAccountById(database.db, setting.admin.id)).toMatchObject({ displayName: setting.admin.displayName });
	});

	it('adds and removes care team members and team members, saying when nothing changed', async () => {
		// The outsider is in none of the plan's team: added only when the administrator says it is meant.
		expect(await addToCareTeam(as(setting.admin), setting.plan.id, { id: setting.outsider.id })).toMatchObject({ ok: false, code: 'professional-not-in-team' });
		expect(await addToCareTeam(as(setting.admin), setting.plan.id, { id: setting.outsider.id }, { outsideTeam: true })).toMatchObject({
			ok: true,
			value: { added: true }
		});
		expect(await addToCareTeam(operator(), setting.plan.id, { username: setting.outsider.username })).toMatchObject({ ok: true, value: { added: false } });
		expect((await listCareTeam(database.db, setting.plan.id)).map((member) => member.id)).toContain(setting.outsider.id);
		expect(await removeFromCareTeam(as(setting.admin), setting.plan.id, { id: setting.outsider.id })).toEqual({ ok: true, value: { removed: true } });
		expect(await removeFromCareTeam(as(setting.admin), setting.plan.id, { id: setting.outsider.id })).toEqual({ ok: true, value: { removed: false } });

		const newcomer = await makeAccount(database.db, 'professional');
		expect(await joinTeam(as(setting.admin), { id: setting.team.id }, { id: newcomer.id })).toMatchObject({ ok: true, value: { added: true } });
		expect(await joinTeam(operator(), { name: setting.team.name }, { username: newcomer.username })).toMatchObject({ ok: true, value: { added: false } });
		expect(await leaveTeam(as(setting.admin), { id: setting.team.id }, { id: newcomer.id })).toMatchObject({ ok: true, value: { removed: true } });
		const events = await eventsOf('team.member_removed', setting.team.id);
		expect(events.at(-1)).toMatchObject({ actorId: setting.admin.id, detail: { userId: newcomer.id } });
	});
});

describe(`sign-in link and account commands (${testDatabaseKind})`, () => {
	it('lets only a professional on the care team make the person a link, and hides plans from others', async () => {
		expect(await linkForPlanOwner(as(setting.outsider), setting.plan.id)).toEqual({ ok: false, code: 'plan-not-found' });
		expect(await linkForPlanOwner(as(setting.supervisor), setting.plan.id)).toEqual({ ok: false, code: 'care-team-only' });
		expect(await linkForPlanOwner(as(setting.serviceUser), setting.plan.id)).toEqual({ ok: false, code: 'care-team-only' });
		const made = await linkForPlanOwner(as(setting.professional), setting.plan.id);
		expect(made).toMatchObject({ ok: true, value: { purpose: 'reset' } });
		if (!made.ok) return;
		// The worker who made it cannot use it at their own desk; the person can, once.
		expect(await openLink(database.db, made.value.token, setting.professional)).toMatchObject({ ok: false, code: 'link-for-someone-else' });
		const answers = { username: null, displayName: null, password: 'a brand new phrase', confirm: 'a different phrase' };
		expect(await useLink(database.db, made.value.token, null, answers, ORIGIN)).toEqual({ ok: false, code: 'passwords-differ' });
		const used = await useLink(database.db, made.value.token, null, { ...answers, confirm: answers.password }, ORIGIN);
		expect(used.ok).toBe(true);
		expect(await useLink(database.db, made.value.token, null, { ...answers, confirm: answers.password }, ORIGIN)).toEqual({ ok: false, code: 'link-used' });
		expect(await signInWithPassword(database.db, { username: setting.serviceUser.username, password: 'a brand new phrase', ...ORIGIN })).toMatchObject({
			ok: true
		});
	});

	it('changes a password only with the current one, and cancels open links', async () => {
		const person = await makeAccount(database.db, 'service_user');
		const wrong = await changeOwnPassword(as(person), person, { current: 'not it', password: 'another long phrase', confirm: 'another long phrase' }, ORIGIN);
		expect(wrong).toEqual({ ok: false, code: 'current-password-wrong' });
		const mismatch = await changeOwnPassword(as(person), person, { current: TEST_PASSWORD, password: 'another long phrase', confirm: 'other' }, ORIGIN);
		expect(mismatch).toEqual({ ok: false, code: 'new-passwords-differ' });
		expect(
			await changeOwnPassword(as(person), person, { current: TEST_PASSWORD, password: 'another long phrase', confirm: 'another long phrase' }, ORIGIN)
		).toMatchObject({ ok: true });
		expect(await eventsOf('account.password_set', person.id)).toHaveLength(1);

		expect(await cancelMyLinks(as(person), person)).toEqual({ cancelled: 0 });
		await newSignInLink(as(setting.admin), { id: person.id });
		expect(await cancelMyLinks(as(person), person)).toEqual({ cancelled: 1 });
		expect(await eventsOf('invitation.cancelled', person.id)).toHaveLength(1);
	});

	it('answers sign-in attempts with codes', async () => {
		expect(await signInWithPassword(database.db, { username: '', password: 'x', ...ORIGIN })).toEqual({ ok: false, code: 'sign-in-incomplete' });
		expect(await signInWithPassword(database.db, { username: setting.outsider.username, password: 'wrong password', ...ORIGIN })).toEqual({
			ok: false,
			code: 'sign-in-mismatch'
		});
		expect(await signInWithPassword(database.db, { username: setting.outsider.username.toUpperCase(), password: TEST_PASSWORD, ...ORIGIN })).toMatchObject({
			ok: true,
			value: { user: { id: setting.outsider.id } }
		});
	});
});
