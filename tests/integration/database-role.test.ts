import { sql, type SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAuditEvent } from '../../db/audit.ts';
import { AppRoleError, openDatabase, type OpenDatabase } from '../../db/client.ts';
import { EmbeddedPostgres } from '../../db/embedded/postgres-server.ts';
import { appendPlanUpdates } from '../../db/plan-log.ts';
import { createPlanVersion, recordSignOff } from '../../db/plan-versions.ts';
import { APP_ROLE, APP_TABLE_PRIVILEGES, grantAppPrivileges } from '../../db/privileges.ts';
import * as schema from '../../db/schema/index.ts';
import type { Database } from '../../db/types.ts';
import { createEmptyPostgresDatabase, createTestDatabase, postgresClient, testDatabaseKind, testServerUrl } from '../helpers/database.ts';
import { makeCareSetting } from '../helpers/factories.ts';
import { runNodeScript } from '../helpers/processes.ts';

let database: OpenDatabase;
beforeAll(async () => {
	database = await createTestDatabase();
});
afterAll(() => database.close());

/** Rows of a raw query. */
async function rows<Row>(db: Database, query: SQL): Promise<Row[]> {
	return (await db.execute(query)) as unknown as Row[];
}

/**
 * The SQLSTATE and message a statement fails with (drizzle puts the database's error in the cause). It runs in a
 * transaction of its own (a savepoint inside another), so a refusal leaves the surrounding one usable.
 */
async function refusal(db: Database, statement: string): Promise<string> {
	try {
		await db.transaction((tx) => tx.execute(sql.raw(statement)));
	} catch (error) {
		for (let current: unknown = error; current; current = (current as { cause?: unknown }).cause) {
			const { code, message } = current as { code?: unknown; message?: unknown };
			if (typeof code === 'string') return `${code} ${String(message)}`;
		}
		throw error;
	}
	return 'succeeded';
}

/**
 * Runs `use` as the connection's own login (the server's superuser in these tests, as with a plain DATABASE_URL),
 * then rolls everything back. It shows what the SET ROLE design leaves open: a login that owns the tables can
 * step out of the app role.
 */
async function asLoginThenRollBack(use: (owner: Database) => Promise<void>): Promise<void> {
	const rolledBack = new Error('rolled back');
	await expect(
		database.db.transaction(async (tx) => {
			await tx.execute(sql`SET LOCAL ROLE NONE`);
			await use(tx);
			throw rolledBack;
		})
	).rejects.toBe(rolledBack);
}

const count = async (db: Database, table: string) => (await rows<{ n: number }>(db, sql.raw(`SELECT count(*)::int AS n FROM ${table}`)))[0]!.n;

describe(`the app's database role (${testDatabaseKind})`, () => {
	it('runs every query of the app, on every pooled connection, as the app role', async () => {
		const roles = await Promise.all(
			Array.from({ length: 12 }, () => database.db.transaction(async (tx) => rows<{ role: string }>(tx, sql`SELECT current_user AS role, pg_sleep(0.05)`)))
		);
		expect(new Set(roles.map(([row]) => row!.role))).toEqual(new Set([APP_ROLE]));
	});

	it('cannot disable a trigger, rewrite or remove the audit trail and the history, or change the schema', async () => {
		const { plan, serviceUser, professional } = await makeCareSetting(database.db);
		await recordAuditEvent(database.db, { actorId: serviceUser.id, action: 'plan.viewed', targetType: 'plan', targetId: plan.id });
		await appendPlanUpdates(database.db, [{ planId: plan.id, seq: 1, userId: serviceUser.id, clientId: 7, context: 'solo', update: new Uint8Array([0, 0]) }]);
		const version = await createPlanVersion(database.db, { planId: plan.id, seq: 1, kind: 'agreement', name: 'Agreed', createdBy: professional.id });
		await recordSignOff(database.db, { versionId: version.id, userId: serviceUser.id, decision: 'agree', reason: null });
		const before = {
			audit: await count(database.db, 'audit_event'),
			updates: await count(database.db, 'plan_update'),
			signOffs: await count(database.db, 'plan_sign_off')
		};

		for (const statement of [
			'ALTER TABLE audit_event DISABLE TRIGGER ALL',
			'ALTER TABLE plan_update DISABLE TRIGGER plan_update_no_update',
			'DROP TRIGGER audit_event_no_update_delete ON audit_event',
			"UPDATE audit_event SET action = 'sign_in'",
			'DELETE FROM audit_event',
			'TRUNCATE audit_event',
			"UPDATE plan_update SET context = 'joint'",
			'DELETE FROM plan_update',
			'TRUNCATE plan_update',
			"UPDATE plan_sign_off SET decision = 'disagree'",
			'DELETE FROM plan_sign_off',
			'DELETE FROM plan_version',
			// Deleting a plan would cascade to its history.
			`DELETE FROM care_plan WHERE id = '${plan.id}'`,
			'DELETE FROM "user"',
			'DROP TABLE plan_update',
			'ALTER TABLE care_plan ADD COLUMN note text',
			'CREATE TABLE chorus_stray (id int)',
			`ALTER ROLE ${APP_ROLE} SUPERUSER`
		]) {
			expect(await refusal(database.db, statement), statement).toMatch(/^42501 (permission denied|must be (owner|superuser))/);
		}
		expect({
			audit: await count(database.db, 'audit_event'),
			updates: await count(database.db, 'plan_update'),
			signOffs: await count(database.db, 'plan_sign_off')
		}).toEqual(before);
	});

	it('holds exactly what db/privileges.ts lists, on every table the migrations made, and nothing more', async () => {
		const held = await rows<{ name: string; privileges: string[] }>(
			database.db,
			sql`SELECT c.relname AS name,
				ARRAY(SELECT p FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) AS p
					WHERE has_table_privilege(current_user, c.oid, p)) AS privileges
				FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
				WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f') ORDER BY c.relname`
		);
		// A new table without a policy entry fails here (and stops start-up, below).
		expect(Object.fromEntries(held.map((table) => [table.name, [...table.privileges].sort()]))).toEqual(
			Object.fromEntries(Object.entries(APP_TABLE_PRIVILEGES).map(([name, privileges]) => [name, [...privileges].sort()]))
		);
		const [schemaRights] = await rows<{ usage: boolean; create: boolean; sequences: boolean }>(
			database.db,
			sql`SELECT has_schema_privilege('public', 'USAGE') AS usage, has_schema_privilege('public', 'CREATE') AS "create",
				bool_and(has_sequence_privilege(c.oid, 'USAGE') AND NOT has_sequence_privilege(c.oid, 'UPDATE')) AS sequences
				FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'S'`
		);
		expect(schemaRights).toEqual({ usage: true, create: false, sequences: true });
	});

	it('does not start when a table has no policy entry', async () => {
		await asLoginThenRollBack(async (owner) => {
			await owner.execute(sql`CREATE TABLE chorus_stray (id int)`);
			await expect(grantAppPrivileges(owner)).rejects.toThrow('db/privileges.ts has no entry for the table chorus_stray');
		});
	});

	it('takes back privileges beyond the policy, and refuses to start on those it cannot take back', async () => {
		await asLoginThenRollBack(async (owner) => {
			await owner.execute(sql.raw(`GRANT UPDATE, DELETE, TRUNCATE, TRIGGER ON audit_event TO ${APP_ROLE}`));
			await owner.execute(sql.raw(`GRANT CREATE ON SCHEMA public TO PUBLIC`));
			await grantAppPrivileges(owner);
			const [after] = await rows<{ update: boolean; create: boolean }>(
				owner,
				sql`SELECT has_table_privilege(${APP_ROLE}, 'audit_event', 'UPDATE') AS update, has_schema_privilege(${APP_ROLE}, 'public', 'CREATE') AS "create"`
			);
			expect(after).toEqual({ update: false, create: false });

			await owner.execute(sql`GRANT TRUNCATE ON plan_update TO PUBLIC`);
			await expect(grantAppPrivileges(owner)).rejects.toThrow(
				`The database role ${APP_ROLE} may do more than db/privileges.ts allows: TRUNCATE on plan_update.`
			);
		});
	});

	it('refuses to start when the app role could act as the owner of the tables', async () => {
		await asLoginThenRollBack(async (owner) => {
			const [tableOwner] = await rows<{ name: string }>(owner, sql`SELECT tableowner AS name FROM pg_tables WHERE tablename = 'audit_event'`);
			await owner.execute(sql.raw(`GRANT "${tableOwner!.name}" TO ${APP_ROLE}`));
			await expect(grantAppPrivileges(owner)).rejects.toThrow(/it owns appointment; .*it owns audit_event/);
		});
	});
});

describe('a login that is only a member of the app role, with DATABASE_OWNER_URL for migrations', () => {
	const serverUrl = testServerUrl();
	const login = `chorus_login_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
	let ownerUrl: string;
	let loginUrl: string;
	let drop: () => Promise<void>;
	let admin: postgres.Sql;

	beforeAll(async () => {
		({ url: ownerUrl, drop } = await createEmptyPostgresDatabase(serverUrl));
		const url = new URL(ownerUrl);
		url.username = login;
		loginUrl = url.toString();
		admin = postgresClient(serverUrl);
		await admin.unsafe(`CREATE ROLE "${login}" LOGIN`);
	});
	afterAll(async () => {
		await drop();
		await admin.unsafe(`DROP ROLE IF EXISTS "${login}"`);
		await admin.end();
	});

	const cli = (args: string[]) => runNodeScript('server/cli.ts', args, { env: { DATABASE_URL: loginUrl, DATABASE_OWNER_URL: ownerUrl, DATA_DIR: '' } });

	it('says what to grant while the login is not a member of the app role', async () => {
		const opening = openDatabase({ databaseUrl: loginUrl, ownerUrl, dataDir: '', holder: 'a test' });
		await expect(opening).rejects.toThrow(AppRoleError);
		await expect(opening).rejects.toThrow(
			`${login} may not act as the database role ${APP_ROLE}, which Chorus runs its queries as. As the owner of the database, run: GRANT ${APP_ROLE} TO "${login}";`
		);
		const refused = await cli(['team', 'add', '--name', 'Harbour Team']);
		expect(refused.code).toBe(1);
		expect(refused.stderr).toBe(
			`chorus: ${login} may not act as the database role ${APP_ROLE}, which Chorus runs its queries as. As the owner of the database, run: GRANT ${APP_ROLE} TO "${login}";\n`
		);
	});

	it('migrates as the owner, serves as the app role, and cannot step out of it to more rights', async () => {
		await admin.unsafe(`GRANT ${APP_ROLE} TO "${login}"`);
		const added = await cli(['team', 'add', '--name', 'Harbour Team']);
		expect(added.stderr).toBe('');
		expect(JSON.parse(added.stdout)).toMatchObject({ name: 'Harbour Team' });
		const strict = await openDatabase({ databaseUrl: loginUrl, ownerUrl, dataDir: '', holder: 'a test' });
		try {
			const { plan, serviceUser } = await makeCareSetting(strict.db);
			await recordAuditEvent(strict.db, { actorId: serviceUser.id, action: 'plan.viewed', targetType: 'plan', targetId: plan.id });
			expect(await rows(strict.db, sql`SELECT current_user AS role, session_user AS login`)).toEqual([{ role: APP_ROLE, login }]);
			expect(await refusal(strict.db, 'ALTER TABLE audit_event DISABLE TRIGGER ALL')).toMatch(/^42501 must be owner/);
			await strict.db.transaction(async (tx) => {
				await tx.execute(sql`SET LOCAL ROLE NONE`);
				expect(await rows(tx, sql`SELECT current_user AS role`)).toEqual([{ role: login }]);
				expect(await refusal(tx, 'ALTER TABLE audit_event DISABLE TRIGGER ALL')).toMatch(/^42501 must be owner/);
				expect(await refusal(tx, 'DELETE FROM plan_update')).toMatch(/^42501 permission denied for table plan_update/);
			});
			const [superuser] = await rows<{ name: string }>(strict.db, sql`SELECT rolname AS name FROM pg_roles WHERE rolsuper ORDER BY oid LIMIT 1`);
			expect(await refusal(strict.db, `SET ROLE "${superuser!.name}"`)).toMatch(new RegExp(`^42501 permission denied to set role "${superuser!.name}"`));
		} finally {
			await strict.close();
		}
	});
});

describe('an owner that is not a superuser (as on managed PostgreSQL services)', () => {
	it('becomes a member of the app role it creates, so that it can act as it', async () => {
		// A PostgreSQL server of its own, where the app role does not exist yet.
		const dataDir = mkdtempSync(join(tmpdir(), 'chorus-owner-test-'));
		const server = await EmbeddedPostgres.start({ dataDir });
		const client = postgres({ ...server.target, max: 1, onnotice: () => {} });
		try {
			await client.unsafe(`CREATE ROLE chorus_owner CREATEROLE;
				GRANT CREATE ON DATABASE ${server.target.database} TO chorus_owner;
				GRANT CREATE ON SCHEMA public TO chorus_owner;
				SET ROLE chorus_owner;`);
			const owner = drizzle(client, { schema });
			await migrate(owner, { migrationsFolder: fileURLToPath(new URL('../../db/migrations', import.meta.url)) });
			await grantAppPrivileges(owner as unknown as Database);
			const membership = await client.unsafe(
				`SELECT pg_has_role('chorus_owner', '${APP_ROLE}', 'USAGE') AS usage, rolcanlogin AS login FROM pg_roles WHERE rolname = '${APP_ROLE}'`
			);
			expect([...membership]).toEqual([{ usage: true, login: false }]);
		} finally {
			await client.end();
			await server.stop();
			rmSync(dataDir, { recursive: true, force: true });
		}
	});
});
