import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { announceAccessChange } from '../db/access-events.ts';
import { createAccount, findAccountByUsername, setAccountDisabled } from '../db/accounts.ts';
import { recordAuditEvent } from '../db/audit.ts';
import { backupDatabase, BackupError, restoreDatabase } from '../db/backup.ts';
import type { OpenDatabase } from '../db/client.ts';
import { describeErrorSafely } from '../db/errors.ts';
import { createInvitation } from '../db/invitations.ts';
import { addCareTeamMember, createPlan } from '../db/plans.ts';
import { invalidateUserSessions } from '../db/session.ts';
import { addTeamMember, createTeam, findTeamByName } from '../db/teams.ts';
import type { Database } from '../db/types.ts';
import { checkNewAccount, checkOptionalDate, checkPlanTitle, checkTeamName, checkUsername, defaultPlanTitle, isUuid } from '../src/lib/shared/validation.ts';
import type { Outcome } from '../src/lib/shared/outcome.ts';
import { wordsFor, type OutcomeCode } from '../src/lib/shared/outcome-words.ts';
import { readConfig } from './config.ts';
import { openConfiguredDatabase, operatorMessage } from './startup.ts';

const USAGE = `Chorus command line. Every command prints JSON on success.

  npm run cli -- user add --username U --name "N" --role R [--discipline D] [--team T]
                                                 (prints a one-time link: people always choose their own password)
  npm run cli -- user disable --username U
  npm run cli -- user enable --username U
  npm run cli -- user invite --username U          (a new one-time link to set a password; older links stop working)
  npm run cli -- team add --name T
  npm run cli -- plan create --for U --team T [--title "…"] [--review-date YYYY-MM-DD]
  npm run cli -- plan assign --plan ID --user U
  npm run cli -- backup --to DIR                   (a consistent copy, also while the server runs; DIR must be new)
  npm run cli -- restore --from DIR                (into an empty database: a new DATA_DIR, server stopped)

Roles: service_user, professional, supervisor, admin.
Disciplines (professionals): social_worker, nurse, psychologist, psychiatrist, occupational_therapist, peer_worker.
The database is chosen as for the server: DATABASE_URL (and DATABASE_OWNER_URL), or the embedded one in DATA_DIR (default ./data).`;

/** A mistake in what was asked: printed plainly, exit code 2. */
class UsageError extends Error {}
/** A request that could not be carried out (e.g. a name already taken): exit code 1. */
class RefusedError extends Error {}

type Options = Record<string, string | boolean | undefined>;

const OPTION_SPEC = {
	username: { type: 'string' },
	name: { type: 'string' },
	role: { type: 'string' },
	discipline: { type: 'string' },
	team: { type: 'string' },
	// Refused with an explanation: accounts are never created with a known password.
	password: { type: 'string' },
	'password-stdin': { type: 'boolean' },
	// What older scripts pass to get a link: every new account gets one now, so it changes nothing.
	invite: { type: 'boolean' },
	for: { type: 'string' },
	title: { type: 'string' },
	'review-date': { type: 'string' },
	plan: { type: 'string' },
	user: { type: 'string' },
	to: { type: 'string' },
	from: { type: 'string' },
	help: { type: 'boolean', short: 'h' }
} as const;

function required(options: Options, name: string): string {
	const value = options[name];
	if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${name} is required.`);
	return value;
}

function orUsage<T>(checked: Outcome<T, OutcomeCode>): T {
	if (!checked.ok) throw new UsageError(wordsFor(checked));
	return checked.value;
}

async function accountNamed(db: Database, raw: unknown, flag: string) {
	const username = orUsage(checkUsername(raw));
	const account = await findAccountByUsername(db, username);
	if (!account) throw new RefusedError(`There is no account with the username "${username}" (given with --${flag}).`);
	return account;
}

async function teamNamed(db: Database, name: string) {
	const team = await findTeamByName(db, name.trim());
	if (!team) throw new RefusedError(`There is no team called "${name}". Create it first with: npm run cli -- team add --name "${name}"`);
	return team;
}

const audited = (db: Database, entry: Omit<Parameters<typeof recordAuditEvent>[1], 'actorId' | 'ip'>) =>
	recordAuditEvent(db, { ...entry, actorId: null, ip: null, detail: { ...entry.detail, via: 'cli' } });

const commands: Record<string, (db: Database, options: Options) => Promise<unknown>> = {
	async 'user add'(db, options) {
		if (options.password !== undefined || options['password-stdin'] !== undefined) {
			throw new UsageError(
				'Accounts are no longer created with a password: every person chooses their own. Leave out --password and --password-stdin; the command prints a one-time link to give them.'
			);
		}
		const account = orUsage(
			checkNewAccount({ username: required(options, 'username'), displayName: required(options, 'name'), role: required(options, 'role'), discipline: options.discipline })
		);
		const team = typeof options.team === 'string' ? await teamNamed(db, options.team) : null;
		const created = await createAccount(db, { ...account, passwordHash: null });
		if (!created.ok) throw new RefusedError(`The username "${account.username}" is already taken.`);
		await audited(db, { action: 'account.created', targetType: 'user', targetId: created.value.id, detail: { role: account.role } });
		if (team) await addTeamMember(db, team.id, created.value.id);
		const invitation = await createInvitation(db, { kind: 'set_password', userId: created.value.id, createdBy: null, origin: { detail: { via: 'cli' } } });
		return {
			id: created.value.id,
			username: created.value.username,
			name: created.value.displayName,
			role: created.value.role,
			discipline: created.value.discipline,
			team: team?.name ?? null,
			invitationPath: `/invite/${invitation.token}`,
			invitationExpiresAt: invitation.invitation.expiresAt
		};
	},

	async 'user disable'(db, options) {
		const account = await accountNamed(db, required(options, 'username'), 'username');
		await setAccountDisabled(db, account.id, true);
		await invalidateUserSessions(db, account.id);
		announceAccessChange({ kind: 'user_signed_out', userId: account.id });
		await audited(db, { action: 'account.disabled', targetType: 'user', targetId: account.id });
		return { id: account.id, username: account.username, disabled: true };
	},

	async 'user enable'(db, options) {
		const account = await accountNamed(db, required(options, 'username'), 'username');
		await setAccountDisabled(db, account.id, false);
		await audited(db, { action: 'account.enabled', targetType: 'user', targetId: account.id });
		return { id: account.id, username: account.username, disabled: false };
	},

	async 'user invite'(db, options) {
		const account = await accountNamed(db, required(options, 'username'), 'username');
		if (account.disabledAt) throw new RefusedError(`The account "${account.username}" is disabled; enable it first.`);
		const { token, invitation, purpose, replaced } = await createInvitation(db, {
			kind: 'set_password',
			userId: account.id,
			createdBy: null,
			origin: { detail: { via: 'cli' } }
		});
		return {
			username: account.username,
			invitationPath: `/invite/${token}`,
			invitationExpiresAt: invitation.expiresAt,
			// The person is told about a link that would replace their password, and can cancel it.
			replacesPassword: purpose === 'reset',
			olderLinksRevoked: replaced
		};
	},

	async 'team add'(db, options) {
		const name = orUsage(checkTeamName(required(options, 'name')));
		const created = await createTeam(db, name);
		if (!created.ok) throw new RefusedError(`There is already a team called "${name}".`);
		await audited(db, { action: 'team.created', targetType: 'team', targetId: created.value.id, detail: { name } });
		return { id: created.value.id, name: created.value.name };
	},

	async 'plan create'(db, options) {
		const person = await accountNamed(db, required(options, 'for'), 'for');
		if (person.role !== 'service_user') throw new RefusedError(`"${person.username}" is not a service user; plans belong to service users.`);
		const team = await teamNamed(db, required(options, 'team'));
		const title = orUsage(checkPlanTitle(typeof options.title === 'string' ? options.title : defaultPlanTitle(person.displayName)));
		const reviewDate = orUsage(checkOptionalDate(options['review-date']));
		const created = await createPlan(db, { title, serviceUserId: person.id, teamId: team.id, reviewDate });
		if (!created.ok) throw new RefusedError(`Could not create the plan (${created.error}).`);
		await audited(db, { action: 'plan.created', targetType: 'plan', targetId: created.value.id, detail: { serviceUserId: person.id, teamId: team.id } });
		return { id: created.value.id, title, for: person.username, team: team.name, reviewDate };
	},

	async 'plan assign'(db, options) {
		const planId = required(options, 'plan');
		if (!isUuid(planId)) throw new UsageError(`--plan must be a plan id (a UUID such as 0b6f3f3e-8c1d-4b7a-9d52-5f0f6d2e1a77), not "${planId}".`);
		const person = await accountNamed(db, required(options, 'user'), 'user');
		const added = await addCareTeamMember(db, planId, person.id, null, { detail: { via: 'cli' } });
		if (!added.ok) {
			throw new RefusedError(added.error === 'unknown_plan' ? `There is no plan with the id ${planId}.` : `"${person.username}" is not a professional; only professionals join care teams.`);
		}
		return { plan: planId, user: person.username, added: added.value };
	}
};

/** Commands on the database as a whole, run as the role that owns it. */
const storageCommands: Record<string, (database: OpenDatabase, options: Options) => Promise<unknown>> = {
	async backup(database, options) {
		const folder = resolve(required(options, 'to'));
		const manifest = await asOwner(database, (owner) => backupDatabase(owner, folder));
		return { backup: folder, createdAt: manifest.createdAt, rows: manifest.tables };
	},

	async restore(database, options) {
		const folder = resolve(required(options, 'from'));
		const manifest = await asOwner(database, (owner) => restoreDatabase(owner, folder));
		return { restored: folder, backupMadeAt: manifest.createdAt, rows: manifest.tables };
	}
};

/** Runs `use` on a connection as the role that owns the tables, closed afterwards. */
async function asOwner<T>(database: OpenDatabase, use: (owner: ReturnType<OpenDatabase['connectAsOwner']>) => Promise<T>): Promise<T> {
	const owner = database.connectAsOwner();
	try {
		return await use(owner);
	} finally {
		await owner.end({ timeout: 5 });
	}
}

async function main(argv: string[]): Promise<number> {
	let parsed;
	try {
		parsed = parseArgs({ args: argv, options: OPTION_SPEC, allowPositionals: true, strict: true });
	} catch (error) {
		console.error(`chorus: ${(error as Error).message}\n\n${USAGE}`);
		return 2;
	}
	const storageCommand = storageCommands[parsed.positionals[0] ?? ''];
	const name = storageCommand ? parsed.positionals[0]! : parsed.positionals.slice(0, 2).join(' ');
	const command = commands[name];
	if (parsed.values.help || parsed.positionals.length === 0) {
		console.log(USAGE);
		return parsed.values.help ? 0 : 2;
	}
	if ((!command && !storageCommand) || parsed.positionals.length > (storageCommand ? 1 : 2)) {
		console.error(`chorus: unknown command "${parsed.positionals.join(' ')}".\n\n${USAGE}`);
		return 2;
	}
	let database: OpenDatabase | undefined;
	try {
		const config = readConfig(process.env);
		// Progress goes to stderr: stdout carries only the JSON result. A restore needs the server stopped.
		database = await openConfiguredDatabase(config, 'the Chorus command line', {
			joinRunningServer: name !== 'restore',
			say: (line) => console.error(`chorus: ${line}`)
		});
		const result = storageCommand ? await storageCommand(database, parsed.values) : await command!(database.db, parsed.values);
		console.log(JSON.stringify(result, null, 2));
		return 0;
	} catch (error) {
		if (error instanceof UsageError) {
			console.error(`chorus: ${error.message}`);
			return 2;
		}
		const message = error instanceof RefusedError || error instanceof BackupError ? error.message : operatorMessage(error);
		if (message) {
			console.error(`chorus: ${message}`);
			return 1;
		}
		console.error(`chorus: unexpected error: ${describeErrorSafely(error)}`);
		return 1;
	} finally {
		await database?.close();
	}
}

process.exitCode = await main(process.argv.slice(2));
