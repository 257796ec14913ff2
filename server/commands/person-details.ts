import { findAccountById, updateAccountDetails } from '../../db/accounts.ts';
import type { User } from '../../db/schema/index.ts';
import { done, refused, type Outcome } from '../../src/lib/shared/outcome.ts';
import { checkDiscipline, checkDisplayName, checkUsername, type InvalidCode } from '../../src/lib/shared/validation.ts';
import { auditAs, mayAdminister, type CommandContext } from './actor.ts';
import { findPerson, type PersonRef } from './lookup.ts';

/** The new details; one left out (undefined) stays as it is. */
export interface PersonDetails {
	displayName?: unknown;
	username?: unknown;
	/** Only for professionals; ignored for everyone else. */
	discipline?: unknown;
}

/** Which details changed, by name: the audit trail records what was changed, not the old and new values. */
export type ChangedDetail = 'displayName' | 'username' | 'discipline';

/**
 * Corrects a person's name, username or (for a professional) discipline. The role is not changed here: what a role
 * may see and do differs too much (a service user owns a plan; a professional is on care teams), so a new role means
 * a new account. Open sessions stay valid; the new name shows wherever the person appears from their next page or
 * connection on, and in the history, which names people as they are now.
 */
export async function changePersonDetails(
	context: CommandContext,
	person: PersonRef,
	input: PersonDetails
): Promise<Outcome<{ account: User; changed: ChangedDetail[] }, InvalidCode | 'not-allowed' | 'account-not-found' | 'username-taken'>> {
	if (!mayAdminister(context.actor)) return refused('not-allowed');
	const found = await findPerson(context.db, person);
	if (!found.ok) return found;
	const account = found.value;
	const displayName = checkDisplayName(input.displayName ?? account.displayName);
	if (!displayName.ok) return displayName;
	const username = checkUsername(input.username ?? account.username);
	if (!username.ok) return username;
	const discipline = checkDiscipline(account.role, account.role === 'professional' ? (input.discipline ?? account.discipline) : null);
	if (!discipline.ok) return discipline;
	const next = { displayName: displayName.value, username: username.value, discipline: discipline.value };
	const changed = (Object.keys(next) as ChangedDetail[]).filter((key) => next[key] !== account[key]);
	if (changed.length === 0) return done({ account, changed });
	const updated = await updateAccountDetails(context.db, account.id, next);
	if (!updated.ok) return refused('username-taken', { username: next.username });
	await auditAs(context, { action: 'account.details_changed', targetType: 'user', targetId: account.id, detail: { changed } });
	return done({ account: (await findAccountById(context.db, account.id)) ?? updated.value, changed });
}
