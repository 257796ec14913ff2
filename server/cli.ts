import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { backupDatabase, BackupError, restoreDatabase } from '../db/backup.ts';
import type { OpenDatabase } from '../db/client.ts';
import { describeErrorSafely } from '../db/errors.ts';
import { overwriteGetLocale } from '../src/lib/paraglide/runtime.js';
import type { Outcome, OutcomeParams } from '../src/lib/shared/outcome.ts';
import { wordsFor, type OutcomeCode } from '../src/lib/shared/outcome-words.ts';
import { INVALID_CODES } from '../src/lib/shared/validation.ts';
import { OPERATOR, type CommandContext } from './commands/actor.ts';
import { addToCareTeam } from './commands/care-teams.ts';
import { createPerson, disablePerson, enablePerson, newSignInLink } from './commands/people.ts';
import { changePersonDetails } from './commands/person-details.ts';
import { resetPersonSecondFactors } from './commands/second-factor-reset.ts';
import { startPlan } from './commands/plans.ts';
import { createNamedTeam } from './commands/teams.ts';
import { readConfig } from './config.ts';
import { openConfiguredDatabase, operatorMessage } from './startup.ts';

const USAGE = `Chorus command line. Every command prints JSON on success.

  npm run cli -- user add --username U --name "N" --role R [--discipline D] [--team T]
                                                 (prints a one-time link: people always choose their own password)
  npm run cli -- user disable --username U
  npm run cli -- user enable --username U
  npm run cli -- user invite --username U          (a new one-time link to set a password; older links stop working)
  npm run cli -- user mfa-reset --username U       (removes their authenticator apps, passkeys and recovery codes and
                                                 signs them out: they set up a new second factor at their next sign-in)
  npm run cli -- team add --name T
  npm run cli -- user edit --username U [--name "N"] [--new-username V] [--discipline D]
                                                 (corrects a name, username or discipline; a role never changes)
  npm run cli -- plan create --for U --team T [--title "…"] [--review-date YYYY-MM-DD] [--outside-team]
  npm run cli -- plan assign --plan ID --user U [--outside-team]
                                                 (--outside-team: the person is not in the plan's team, and that is meant)
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
	'new-username': { type: 'string' },
	'outside-team': { type: 'boolean' },
	to: { type: 'string' },
	from: { type: 'string' },
	help: { type: 'boolean', short: 'h' }
} as const;

function required(options: Options, name: string): string {
	const value = options[name];
	if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${name} is required.`);
	return value;
}

/**
 * The operator's words for a refusal, where they differ from a page's (they name the flags and the next command);
 * every other code is said as the pages say it (src/lib/shared/outcome-words.ts).
 */
const OPERATOR_WORDS: Partial<Record<OutcomeCode, (params: OutcomeParams) => string>> = {
	'team-not-found': (p) => `There is no team called "${p.name}". Create it first with: npm run cli -- team add --name "${p.name}"`,
	'username-taken': (p) => `The username "${p.username}" is already taken.`,
	'team-name-taken': (p) => `There is already a team called "${p.name}".`,
	'account-disabled': (p) => `The account "${p.username}" is disabled; enable it first.`,
	'not-a-service-user': (p) => `"${p.username}" is not a service user; plans belong to service users.`,
	'not-a-professional': (p) => `"${p.username}" is not a professional; only professionals join care teams.`,
	'plan-gone': (p) => `There is no plan with the id ${p.id}.`,
	'person-not-in-team': (p) => `${p.name} is not in the team "${p.team}". Add them to it first, or pass --outside-team if that is meant.`,
	'professional-not-in-team': (p) => `${p.name} is not in the plan's team "${p.team}". Add them to it first, or pass --outside-team if that is meant.`,
	'plan-id-invalid': (p) => `--plan must be a plan id (a UUID such as 0b6f3f3e-8c1d-4b7a-9d52-5f0f6d2e1a77), not "${p.id}".`
};

/** Codes that mean the command was asked wrongly (exit code 2) rather than refused (exit code 1). */
const USAGE_CODES = new Set<string>([...INVALID_CODES, 'plan-id-invalid']);

/** The command's value, or the refusal thrown as the error it is, in the operator's words. */
function orRefused<T>(outcome: Outcome<T, OutcomeCode>): T {
	if (outcome.ok) return outcome.value;
	const words = OPERATOR_WORDS[outcome.code]?.(outcome.params ?? {}) ?? wordsFor(outcome);
	throw USAGE_CODES.has(outcome.code) ? new UsageError(words) : new RefusedError(words);
}

const commands: Record<string, (context: CommandContext, options: Options) => Promise<unknown>> = {
	async 'user add'(context, options) {
		if (options.password !== undefined || options['password-stdin'] !== undefined) {
			throw new UsageError(
				'Accounts are no longer created with a password: every person chooses their own. Leave out --password and --password-stdin; the command prints a one-time link to give them.'
			);
		}
		const { account, team, link } = orRefused(
			await createPerson(context, {
				username: required(options, 'username'),
				displayName: required(options, 'name'),
				role: required(options, 'role'),
				discipline: options.discipline,
				team: typeof options.team === 'string' ? { name: options.team } : null
			})
		);
		return {
			id: account.id,
			username: account.username,
			name: account.displayName,
			role: account.role,
			discipline: account.discipline,
			team: team?.name ?? null,
			invitationPath: `/invite/${link.token}`,
			invitationExpiresAt: link.expiresAt
		};
	},

	async 'user disable'(context, options) {
		const account = orRefused(await disablePerson(context, { username: required(options, 'username') }));
		return { id: account.id, username: account.username, disabled: true };
	},

	async 'user enable'(context, options) {
		const account = orRefused(await enablePerson(context, { username: required(options, 'username') }));
		return { id: account.id, username: account.username, disabled: false };
	},

	async 'user invite'(context, options) {
		const { account, link } = orRefused(await newSignInLink(context, { username: required(options, 'username') }));
		return {
			username: account.username,
			invitationPath: `/invite/${link.token}`,
			invitationExpiresAt: link.expiresAt,
			// The person is told about a link that would replace their password, and can cancel it.
			replacesPassword: link.purpose === 'reset',
			olderLinksRevoked: link.replaced
		};
	},

	async 'user edit'(context, options) {
		const { account, changed } = orRefused(
			await changePersonDetails(
				context,
				{ username: required(options, 'username') },
				{ displayName: options.name, username: options['new-username'], discipline: options.discipline }
			)
		);
		return { id: account.id, username: account.username, name: account.displayName, discipline: account.discipline, changed };
	},

	async 'user mfa-reset'(context, options) {
		const { account, factorsRemoved } = orRefused(await resetPersonSecondFactors(context, { username: required(options, 'username') }));
		return { id: account.id, username: account.username, secondFactorsReset: true, factorsRemoved };
	},

	async 'team add'(context, options) {
		const team = orRefused(await createNamedTeam(context, required(options, 'name')));
		return { id: team.id, name: team.name };
	},

	async 'plan create'(context, options) {
		const { plan, serviceUser, team } = orRefused(
			await startPlan(context, {
				serviceUser: { username: required(options, 'for') },
				team: { name: required(options, 'team') },
				title: options.title,
				reviewDate: options['review-date'],
				outsideTeam: options['outside-team'] === true
			})
		);
		return { id: plan.id, title: plan.title, for: serviceUser.username, team: team.name, reviewDate: plan.reviewDate };
	},

	async 'plan assign'(context, options) {
		const planId = required(options, 'plan');
		const { person, added } = orRefused(
			await addToCareTeam(context, planId, { username: required(options, 'user') }, { outsideTeam: options['outside-team'] === true })
		);
		return { plan: planId, user: person.username, added };
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
		// Outside any request, the words of results are in the installation's language.
		overwriteGetLocale(() => config.defaultLocale);
		// Progress goes to stderr: stdout carries only the JSON result. A restore needs the server stopped.
		database = await openConfiguredDatabase(config, 'the Chorus command line', {
			joinRunningServer: name !== 'restore',
			say: (line) => console.error(`chorus: ${line}`)
		});
		const result = storageCommand ? await storageCommand(database, parsed.values) : await command!({ db: database.db, actor: OPERATOR }, parsed.values);
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
