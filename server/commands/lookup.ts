import { findAccountById, findAccountByUsername } from '../../db/accounts.ts';
import { findTeamById, findTeamByName } from '../../db/teams.ts';
import type { Team, User } from '../../db/schema/index.ts';
import type { Database } from '../../db/types.ts';
import { done, refused, type Outcome } from '../../src/lib/shared/outcome.ts';
import { checkUsername, isUuid } from '../../src/lib/shared/validation.ts';

/** A person as a page names them (their id, from a form) or as the command line does (their username). */
export type PersonRef = { id: unknown } | { username: unknown };

/** A team by its id (a form) or its name (the command line). */
export type TeamRef = { id: unknown } | { name: unknown };

/** The account a reference names; 'account-not-found' (with the username, when one was given) otherwise. */
export async function findPerson(db: Database, ref: PersonRef): Promise<Outcome<User, 'account-not-found'>> {
	if ('id' in ref) {
		const account = isUuid(ref.id) ? await findAccountById(db, ref.id) : null;
		return account ? done(account) : refused('account-not-found');
	}
	const username = checkUsername(ref.username);
	const account = username.ok ? await findAccountByUsername(db, username.value) : null;
	return account ? done(account) : refused('account-not-found', { username: String(ref.username ?? '') });
}

/** The team a reference names; 'team-not-found' (with the name, when one was given) otherwise. */
export async function findTeam(db: Database, ref: TeamRef): Promise<Outcome<Team, 'team-not-found'>> {
	if ('id' in ref) {
		const team = isUuid(ref.id) ? await findTeamById(db, ref.id) : null;
		return team ? done(team) : refused('team-not-found');
	}
	const team = typeof ref.name === 'string' && ref.name.trim() ? await findTeamByName(db, ref.name.trim()) : null;
	return team ? done(team) : refused('team-not-found', { name: String(ref.name ?? '') });
}
