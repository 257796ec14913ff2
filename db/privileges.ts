import { sql, type SQL } from 'drizzle-orm';
import type { Database } from './types.ts';

/**
 * The database role every query of the app runs as. It owns nothing, so it cannot disable a trigger, truncate,
 * drop or create a table; it may only do what APP_TABLE_PRIVILEGES lists.
 */
export const APP_ROLE = 'chorus_app';

export type TablePrivilege = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';

/** Evidence and history: rows are added and read, never changed or removed. */
const APPEND_ONLY: readonly TablePrivilege[] = ['SELECT', 'INSERT'];

/**
 * What the app may do to each table in the schema `public`, as the code really uses it. Start-up stops when a
 * table has no entry here (or an entry names a table that does not exist), so a new table cannot be forgotten.
 */
export const APP_TABLE_PRIVILEGES: Readonly<Record<string, readonly TablePrivilege[]>> = {
	user: ['SELECT', 'INSERT', 'UPDATE'],
	session: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
	team: APPEND_ONLY,
	team_member: ['SELECT', 'INSERT', 'DELETE'],
	care_plan: ['SELECT', 'INSERT', 'UPDATE'],
	care_team_member: ['SELECT', 'INSERT', 'DELETE'],
	invitation: ['SELECT', 'INSERT', 'UPDATE'],
	// Attempts of the last throttle window only: older ones are deleted as new ones are counted.
	sign_in_attempt: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
	audit_event: APPEND_ONLY,
	plan_update: APPEND_ONLY,
	plan_client: APPEND_ONLY,
	plan_checkpoint: APPEND_ONLY,
	plan_version: APPEND_ONLY,
	plan_sign_off: APPEND_ONLY,
	appointment: ['SELECT', 'INSERT', 'UPDATE'],
	appointment_attendee: APPEND_ONLY,
	// Derived figures, replaced in place (INSERT … ON CONFLICT DO UPDATE) whenever a plan is measured again.
	plan_involvement: ['SELECT', 'INSERT', 'UPDATE'],
	plan_involvement_month: ['SELECT', 'INSERT', 'UPDATE'],
	// Receipts of form submissions, so a repeat gets the first answer; a person's old ones are deleted as new ones come.
	request_receipt: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
	// Set, changed and cleared by administrators (a team's own row never changes).
	team_crisis_contact: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
	// Added for their recipient, who marks them read.
	notification: ['SELECT', 'INSERT', 'UPDATE'],
	// A person's sign-in factors: added, used (last step, counter), removed by them or an administrator's reset.
	totp_credential: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
	passkey_credential: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
	recovery_code: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
	// As sign_in_attempt: the last throttle window only.
	second_factor_attempt: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
	// Used once, pruned when they run out.
	webauthn_challenge: ['SELECT', 'INSERT', 'DELETE']
};

/** Any big number, the same in every process: start-ups that share a database set the privileges one at a time. */
const PRIVILEGES_LOCK = 7_361_024_119;

/** The tables, views and sequences of the schema `public`. */
const PUBLIC_RELATIONS = sql`FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')`;

function quoteIdentifier(name: string): string {
	return `"${name.replaceAll('"', '""')}"`;
}

/** Rows of a raw query (postgres.js returns them as an array). */
async function rowsOf<Row>(db: Database, query: SQL): Promise<Row[]> {
	return (await db.execute(query)) as unknown as Row[];
}

/**
 * Makes APP_ROLE exist (NOLOGIN) and hold exactly the privileges of APP_TABLE_PRIVILEGES: those on each table,
 * USAGE on the schema `public` and its sequences, and nothing else — no ownership, no TRUNCATE, no CREATE.
 * Idempotent; run by the role that owns the tables, after migrating. A non-superuser owner that creates the
 * role (CREATEROLE, as on managed PostgreSQL services) becomes a member, so it can act as it.
 * Throws when a table has no policy entry, or when the role ends up with more than its policy (for example a
 * grant to PUBLIC), naming what to fix.
 */
export async function grantAppPrivileges(db: Database): Promise<void> {
	const role = quoteIdentifier(APP_ROLE);
	await db.transaction(async (tx) => {
		await tx.execute(sql`SELECT pg_advisory_xact_lock(${PRIVILEGES_LOCK})`);
		const relations = await rowsOf<{ name: string; sequence: boolean }>(tx, sql`SELECT c.relname AS name, c.relkind = 'S' AS sequence ${PUBLIC_RELATIONS}`);
		const tables = relations.filter((relation) => !relation.sequence).map((relation) => relation.name);
		const unlisted = tables.filter((table) => !Object.hasOwn(APP_TABLE_PRIVILEGES, table));
		const missing = Object.keys(APP_TABLE_PRIVILEGES).filter((table) => !tables.includes(table));
		if (unlisted.length > 0) throw new Error(`db/privileges.ts has no entry for the table ${unlisted.join(', ')}: say what the app may do with it.`);
		if (missing.length > 0) throw new Error(`db/privileges.ts names ${missing.join(', ')}, which the database does not have.`);

		await tx.execute(
			sql.raw(`DO $$
BEGIN
	IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
		CREATE ROLE ${role} NOLOGIN;
		IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
			GRANT ${role} TO CURRENT_USER;
		END IF;
	END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
	-- Another database on this server created it at the same moment.
	NULL;
END $$`)
		);
		await tx.execute(sql.raw(`REVOKE ALL ON SCHEMA public FROM ${role}`));
		await tx.execute(sql.raw(`GRANT USAGE ON SCHEMA public TO ${role}`));
		for (const relation of relations) {
			const name = quoteIdentifier(relation.name);
			const kind = relation.sequence ? 'SEQUENCE' : 'TABLE';
			await tx.execute(sql.raw(`REVOKE ALL ON ${kind} ${name} FROM ${role}`));
			const privileges = relation.sequence ? 'USAGE' : APP_TABLE_PRIVILEGES[relation.name]!.join(', ');
			await tx.execute(sql.raw(`GRANT ${privileges} ON ${kind} ${name} TO ${role}`));
		}
		// Before PostgreSQL 15 everyone could create tables in `public`.
		const [schema] = await rowsOf<{ create: boolean }>(tx, sql`SELECT has_schema_privilege(${APP_ROLE}, 'public', 'CREATE') AS "create"`);
		if (schema!.create) await tx.execute(sql.raw('REVOKE CREATE ON SCHEMA public FROM PUBLIC'));

		const excess = await excessPrivileges(tx);
		if (excess.length > 0) {
			throw new Error(
				`The database role ${APP_ROLE} may do more than db/privileges.ts allows: ${excess.join('; ')}. ` +
					`Revoke it (it may come from a grant to PUBLIC or to a role ${APP_ROLE} is a member of).`
			);
		}
	});
}

/** What APP_ROLE can do beyond its policy, however it got it (directly, through PUBLIC or another role). */
async function excessPrivileges(db: Database): Promise<string[]> {
	const held = await rowsOf<{ name: string; sequence: boolean; owner: boolean; privileges: string[] }>(
		db,
		sql`SELECT c.relname AS name, c.relkind = 'S' AS sequence, pg_has_role(${APP_ROLE}, c.relowner, 'MEMBER') AS owner,
			ARRAY(SELECT p FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) AS p
				WHERE has_table_privilege(${APP_ROLE}, c.oid, p)
					OR (c.relkind <> 'S' AND p IN ('SELECT', 'INSERT', 'UPDATE', 'REFERENCES') AND has_any_column_privilege(${APP_ROLE}, c.oid, p))) AS privileges
			${PUBLIC_RELATIONS} ORDER BY c.relname`
	);
	const excess: string[] = [];
	for (const relation of held) {
		if (relation.owner) excess.push(`it owns ${relation.name}`);
		// USAGE, all a sequence needs, is not among the privileges checked: any listed one is too much.
		const allowed: readonly string[] = relation.sequence ? [] : APP_TABLE_PRIVILEGES[relation.name]!;
		const extra = relation.privileges.filter((privilege) => !allowed.includes(privilege));
		if (extra.length > 0) excess.push(`${extra.join(', ')} on ${relation.name}`);
	}
	const [schema] = await rowsOf<{ create: boolean }>(db, sql`SELECT has_schema_privilege(${APP_ROLE}, 'public', 'CREATE') AS "create"`);
	if (schema!.create) excess.push('CREATE on the schema public');
	return excess;
}
