import { announceAccessChange } from '../../db/access-events.ts';
import { countActiveAdmins, createAccount, setAccountDisabled } from '../../db/accounts.ts';
import { createInvitation, type LinkPurpose } from '../../db/invitations.ts';
import type { Team, User } from '../../db/schema/index.ts';
import { invalidateUserSessions } from '../../db/session.ts';
import { addTeamMember } from '../../db/teams.ts';
import { done, refused, type Outcome } from '../../src/lib/shared/outcome.ts';
import { checkNewAccount, type InvalidCode } from '../../src/lib/shared/validation.ts';
import { auditAs, mayAdminister, originOf, personOf, type CommandContext } from './actor.ts';
import { findPerson, findTeam, type PersonRef, type TeamRef } from './lookup.ts';

/** A one-time link to set a password: the token goes into the link and is never stored or shown again. */
export interface SignInLink {
	token: string;
	expiresAt: Date;
	/** Whether using it would replace a password the person already has. */
	purpose: LinkPurpose;
	/** How many older links of the account stopped working. */
	replaced: number;
}

export interface NewPerson {
	username: unknown;
	displayName: unknown;
	role: unknown;
	discipline: unknown;
	/** A team to join at once, or null. */
	team: TeamRef | null;
}

async function makeSignInLink(context: CommandContext, account: User): Promise<SignInLink> {
	const { token, invitation, purpose, replaced } = await createInvitation(context.db, {
		kind: 'set_password',
		userId: account.id,
		createdBy: personOf(context.actor)?.id ?? null,
		origin: originOf(context.actor)
	});
	return { token, expiresAt: invitation.expiresAt, purpose, replaced };
}

/**
 * Creates an account, optionally in a team, with a first sign-in link. Nobody creates an account with a password
 * they know: the person chooses it with the link.
 */
export async function createPerson(
	context: CommandContext,
	input: NewPerson
): Promise<Outcome<{ account: User; team: Team | null; link: SignInLink }, InvalidCode | 'not-allowed' | 'team-not-found' | 'username-taken'>> {
	if (!mayAdminister(context.actor)) return refused('not-allowed');
	const checked = checkNewAccount(input);
	if (!checked.ok) return checked;
	let team: Team | null = null;
	if (input.team) {
		const found = await findTeam(context.db, input.team);
		if (!found.ok) return found;
		team = found.value;
	}
	const created = await createAccount(context.db, { ...checked.value, passwordHash: null });
	if (!created.ok) return refused('username-taken', { username: checked.value.username });
	const account = created.value;
	await auditAs(context, {
		action: 'account.created',
		targetType: 'user',
		targetId: account.id,
		detail: { role: account.role, discipline: account.discipline }
	});
	if (team && (await addTeamMember(context.db, team.id, account.id))) {
		await auditAs(context, { action: 'team.member_added', targetType: 'team', targetId: team.id, detail: { userId: account.id } });
	}
	return done({ account, team, link: await makeSignInLink(context, account) });
}

/** A new one-time link to set a password (older links stop working). Refused for a disabled account. */
export async function newSignInLink(
	context: CommandContext,
	person: PersonRef
): Promise<Outcome<{ account: User; link: SignInLink }, 'not-allowed' | 'account-not-found' | 'account-disabled'>> {
	if (!mayAdminister(context.actor)) return refused('not-allowed');
	const found = await findPerson(context.db, person);
	if (!found.ok) return found;
	const account = found.value;
	if (account.disabledAt) return refused('account-disabled', { name: account.displayName, username: account.username });
	return done({ account, link: await makeSignInLink(context, account) });
}

/**
 * Disables an account and signs it out everywhere, live plans included. An administrator cannot disable their own
 * account, and nobody can disable the last active administrator (the installation would have nobody to run it).
 */
export async function disablePerson(
	context: CommandContext,
	person: PersonRef
): Promise<Outcome<User, 'not-allowed' | 'account-not-found' | 'own-account' | 'last-admin'>> {
	if (!mayAdminister(context.actor)) return refused('not-allowed');
	const found = await findPerson(context.db, person);
	if (!found.ok) return found;
	const account = found.value;
	if (account.id === personOf(context.actor)?.id) return refused('own-account');
	if (account.role === 'admin' && !account.disabledAt && (await countActiveAdmins(context.db)) <= 1) return refused('last-admin');
	await setAccountDisabled(context.db, account.id, true);
	await invalidateUserSessions(context.db, account.id);
	announceAccessChange({ kind: 'account_disabled', userId: account.id });
	await auditAs(context, { action: 'account.disabled', targetType: 'user', targetId: account.id });
	return done(account);
}

/** Lets a disabled account sign in again. */
export async function enablePerson(context: CommandContext, person: PersonRef): Promise<Outcome<User, 'not-allowed' | 'account-not-found'>> {
	if (!mayAdminister(context.actor)) return refused('not-allowed');
	const found = await findPerson(context.db, person);
	if (!found.ok) return found;
	await setAccountDisabled(context.db, found.value.id, false);
	await auditAs(context, { action: 'account.enabled', targetType: 'user', targetId: found.value.id });
	return done(found.value);
}
