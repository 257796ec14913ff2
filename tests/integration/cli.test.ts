import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCareTeamChanges } from '../../db/access-log.ts';
import { openDatabase } from '../../db/client.ts';
import { createSession, generateSessionToken } from '../../db/session.ts';
import { auditEvent, passkeyCredential, recoveryCode, session, totpCredential, user } from '../../db/schema/index.ts';
import { createEmptyPostgresDatabase, testDatabaseKind } from '../helpers/database.ts';
import { runNodeScript } from '../helpers/processes.ts';

// The CLI runs as its own process against a database of its own, as an operator would run it.
let env: NodeJS.ProcessEnv;
let cleanup: () => Promise<void>;

beforeAll(async () => {
	const database = await createEmptyPostgresDatabase();
	env = { DATABASE_URL: database.url, DATA_DIR: '' };
	cleanup = database.drop;
});
afterAll(() => cleanup());

const cli = (args: string[], input?: string) => runNodeScript('server/cli.ts', args, { env, input });

function json(output: { code: number | null; stdout: string; stderr: string }) {
	expect(output.stderr, output.stderr).toBe('');
	expect(output.code).toBe(0);
	return JSON.parse(output.stdout);
}

describe(`admin command line (${testDatabaseKind})`, () => {
	it('creates teams, people and plans, printing JSON; every new account gets a one-time link, never a password', async () => {
		const team = json(await cli(['team', 'add', '--name', 'Harbour Team']));
		expect(team).toMatchObject({ name: 'Harbour Team', id: expect.any(String) });

		const person = json(await cli(['user', 'add', '--username', 'Robin.K', '--name', 'Robin K', '--role', 'service_user', '--team', 'Harbour Team']));
		expect(person).toMatchObject({
			username: 'robin.k',
			role: 'service_user',
			team: 'Harbour Team',
			invitationPath: expect.stringMatching(/^\/invite\/[a-z2-7]{32}$/)
		});

		const nurse = json(
			await cli(['user', 'add', '--username', 'kim', '--name', 'Kim N', '--role', 'professional', '--discipline', 'nurse', '--team', 'Harbour Team'])
		);
		expect(nurse).toMatchObject({ username: 'kim', discipline: 'nurse', invitationPath: expect.stringMatching(/^\/invite\//) });

		// Older scripts pass --invite: it is still understood.
		const invited = json(await cli(['user', 'add', '--username', 'jo.p', '--name', 'Jo P', '--role', 'service_user', '--invite']));
		expect(invited.invitationPath).toMatch(/^\/invite\/[a-z2-7]{32}$/);

		// A new link for Kim: the first one stops working.
		expect(json(await cli(['user', 'invite', '--username', 'kim']))).toMatchObject({ username: 'kim', replacesPassword: false, olderLinksRevoked: 1 });

		const plan = json(await cli(['plan', 'create', '--for', 'robin.k', '--team', 'Harbour Team', '--review-date', '2027-01-31']));
		expect(plan).toMatchObject({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), title: 'Robin K’s recovery plan', reviewDate: '2027-01-31' });

		expect(json(await cli(['plan', 'assign', '--plan', plan.id, '--user', 'kim']))).toEqual({ plan: plan.id, user: 'kim', added: true });

		expect(json(await cli(['user', 'disable', '--username', 'kim']))).toMatchObject({ username: 'kim', disabled: true });

		// The care-team change is in the audit trail as the admin page records it, so the person and supervisors see it.
		const database = await openDatabase({ databaseUrl: env.DATABASE_URL || undefined, dataDir: env.DATA_DIR ?? '', holder: 'the CLI test' });
		try {
			expect(await listCareTeamChanges(database.db, plan.id)).toEqual([
				{
					at: expect.any(Date),
					change: 'added',
					by: null,
					byCommandLine: true,
					member: { id: nurse.id, name: 'Kim N', role: 'professional', discipline: 'nurse' }
				}
			]);
			const [account] = await database.db.select({ passwordHash: user.passwordHash }).from(user).where(eq(user.id, nurse.id));
			expect(account!.passwordHash).toBeNull();
		} finally {
			await database.close();
		}

		// Someone outside the plan's team is refused with the way out, and added once the operator says it is meant.
		json(await cli(['user', 'add', '--username', 'lou', '--name', 'Lou P', '--role', 'professional', '--discipline', 'peer_worker']));
		const outside = await cli(['plan', 'assign', '--plan', plan.id, '--user', 'lou']);
		expect(outside.code).toBe(1);
		expect(outside.stderr).toMatch(/not in the plan's team "Harbour Team".*--outside-team/);
		expect(json(await cli(['plan', 'assign', '--plan', plan.id, '--user', 'lou', '--outside-team']))).toEqual({ plan: plan.id, user: 'lou', added: true });

		// A name, username and discipline can be corrected; the role cannot.
		expect(json(await cli(['user', 'edit', '--username', 'lou', '--name', 'Lou Peters', '--new-username', 'lou.p', '--discipline', 'nurse']))).toMatchObject({
			username: 'lou.p',
			name: 'Lou Peters',
			discipline: 'nurse',
			changed: ['displayName', 'username', 'discipline']
		});
	});

	it('explains bad input plainly and exits non-zero without changing anything', async () => {
		const cases: [string[], RegExp, number][] = [
			[['user', 'add', '--username', 'zed', '--name', 'Zed', '--role', 'boss'], /choose a role/, 2],
			[['user', 'add', '--username', 'zed', '--name', 'Zed', '--role', 'professional'], /discipline/, 2],
			[
				['user', 'add', '--username', 'zed', '--name', 'Zed', '--role', 'service_user', '--password', 'a long enough phrase'],
				/no longer created with a password: every person chooses their own/,
				2
			],
			[['user', 'add', '--username', 'zed', '--name', 'Zed', '--role', 'service_user', '--password-stdin'], /Leave out --password and --password-stdin/, 2],
			[['user', 'add', '--username', 'zed', '--name', 'Zed', '--role', 'service_user', '--team', 'Nope'], /no team called "Nope"/, 1],
			[['user', 'disable', '--username', 'nobody'], /no account with the username "nobody"/, 1],
			[['plan', 'assign', '--plan', 'not-an-id', '--user', 'kim'], /must be a plan id/, 2],
			[['plan', 'assign', '--plan', '0b6f3f3e-8c1d-4b7a-9d52-5f0f6d2e1a77', '--user', 'kim'], /no plan with the id/, 1],
			[['plan', 'create', '--for', 'kim', '--team', 'Harbour Team'], /not a service user/, 1],
			[['team', 'add', '--name', 'Harbour Team'], /already a team called/, 1],
			[['team', 'remove'], /unknown command/, 2],
			[['team', 'add', '--colour', 'blue'], /Unknown option '--colour'/, 2]
		];
		for (const [args, message, code] of cases) {
			const result = await cli(args);
			expect(result.stderr, args.join(' ')).toMatch(message);
			expect(result.code, args.join(' ')).toBe(code);
			expect(result.stdout).toBe('');
		}
		// "zed" was never created by any of the refused commands.
		expect((await cli(['user', 'disable', '--username', 'zed'])).code).toBe(1);
	});

	it("has the pages' checks: the last active administrator cannot be disabled; joining a team is audited", async () => {
		json(await cli(['user', 'add', '--username', 'ada', '--name', 'Ada Admin', '--role', 'admin']));
		const refused = await cli(['user', 'disable', '--username', 'ada']);
		expect(refused.stderr).toMatch(/last administrator/);
		expect(refused.code).toBe(1);
		json(await cli(['user', 'add', '--username', 'bea', '--name', 'Bea Admin', '--role', 'admin']));
		expect(json(await cli(['user', 'disable', '--username', 'ada']))).toMatchObject({ username: 'ada', disabled: true });
		expect((await cli(['user', 'disable', '--username', 'bea'])).stderr).toMatch(/last administrator/);

		const database = await openDatabase({ databaseUrl: env.DATABASE_URL || undefined, dataDir: env.DATA_DIR ?? '', holder: 'the CLI test' });
		try {
			const joined = await database.db.select().from(auditEvent).where(eq(auditEvent.action, 'team.member_added'));
			// Robin K and Kim joined Harbour Team with `user add --team` in the first test.
			const byTheCommandLine = expect.objectContaining({ actorId: null, targetType: 'team', detail: expect.objectContaining({ via: 'cli' }) });
			expect(joined).toEqual([byTheCommandLine, byTheCommandLine]);
		} finally {
			await database.close();
		}
	});

	it('resets a person’s second factors (user mfa-reset): factors and sessions gone, a new enrolment due, audited as the command line', async () => {
		const kit = json(await cli(['user', 'add', '--username', 'kit', '--name', 'Kit N', '--role', 'professional', '--discipline', 'nurse']));
		const database = await openDatabase({ databaseUrl: env.DATABASE_URL || undefined, dataDir: env.DATA_DIR ?? '', holder: 'the CLI test' });
		try {
			const { db } = database;
			await db.insert(totpCredential).values({ userId: kit.id, sealedKey: new Uint8Array(40).fill(1), confirmedAt: new Date() });
			await db
				.insert(passkeyCredential)
				.values({ userId: kit.id, credentialId: new Uint8Array(16).fill(2), algorithm: -7, publicKey: new Uint8Array(65), name: 'Phone' });
			await db.insert(recoveryCode).values([
				{ userId: kit.id, codeHash: 'a' },
				{ userId: kit.id, codeHash: 'b' }
			]);
			await createSession(db, generateSessionToken(), kit.id, { secondFactorVerified: true });

			expect(json(await cli(['user', 'mfa-reset', '--username', 'kit']))).toEqual({
				id: kit.id,
				username: 'kit',
				secondFactorsReset: true,
				factorsRemoved: 2
			});
			for (const table of [totpCredential, passkeyCredential, recoveryCode, session]) {
				expect(await db.select().from(table).where(eq(table.userId, kit.id))).toEqual([]);
			}
			const [account] = await db.select({ resetAt: user.secondFactorResetAt }).from(user).where(eq(user.id, kit.id));
			expect(account!.resetAt).toBeInstanceOf(Date);
			const recorded = await db.select().from(auditEvent).where(eq(auditEvent.action, 'second_factor.reset'));
			expect(recorded).toEqual([expect.objectContaining({ actorId: null, targetType: 'user', targetId: kit.id, detail: { via: 'cli', factorsRemoved: 2 } })]);
		} finally {
			await database.close();
		}
		const unknown = await cli(['user', 'mfa-reset', '--username', 'nobody']);
		expect([unknown.code, unknown.stderr]).toEqual([1, expect.stringMatching(/no account with the username "nobody"/)]);
	});
});

// Last: it adds a team and a person of its own, which the checks above do not expect.
describe(`the command line in the installation’s language (${testDatabaseKind})`, () => {
	it('answers in the installation’s language (DEFAULT_LOCALE), and starts plans with a title in it', async () => {
		const german = (args: string[]) => runNodeScript('server/cli.ts', args, { env: { ...env, DEFAULT_LOCALE: 'de' } });
		const refused = await german(['user', 'disable', '--username', 'nobody-here']);
		expect(refused.code).not.toBe(0);
		expect(refused.stderr).toMatch(/Es gibt kein Konto mit dem Benutzernamen „nobody-here“/);

		json(await german(['team', 'add', '--name', 'Team Gütersloh']));
		json(await german(['user', 'add', '--username', 'mia', '--name', 'Mia S', '--role', 'service_user', '--team', 'Team Gütersloh']));
		expect(json(await german(['plan', 'create', '--for', 'mia', '--team', 'Team Gütersloh']))).toMatchObject({ title: 'Genesungsplan von Mia S' });
	});
});
