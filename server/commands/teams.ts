import { announceAccessChange } from '../../db/access-events.ts';
import { listAllPlans } from '../../db/plans.ts';
import type { Team, User } from '../../db/schema/index.ts';
import { addTeamMember, createTeam, removeTeamMember } from '../../db/teams.ts';
import { done, refused, type Outcome } from '../../src/lib/shared/outcome.ts';
import { checkTeamName, type InvalidCode } from '../../src/lib/shared/validation.ts';
import { auditAs, mayAdminister, type CommandContext } from './actor.ts';
import { findPerson, findTeam, type PersonRef, type TeamRef } from './lookup.ts';

/** Creates a team; names are unique, whatever their case. */
export async function createNamedTeam(context: CommandContext, rawName: unknown): Promise<Outcome<Team, InvalidCode | 'not-allowed' | 'team-name-taken'>> {
	if (!mayAdminister(context.actor)) return refused('not-allowed');
	const name = checkTeamName(rawName);
	if (!name.ok) return name;
	const created = await createTeam(context.db, name.value);
	if (!created.ok) return refused('team-name-taken', { name: name.value });
	await auditAs(context, { action: 'team.created', targetType: 'team', targetId: created.value.id, detail: { name: name.value } });
	return done(created.value);
}

type Membership = { team: Team; person: User };

async function teamAndPerson(context: CommandContext, team: TeamRef, person: PersonRef): Promise<Outcome<Membership, 'team-and-person-missing'>> {
	const [foundTeam, foundPerson] = await Promise.all([findTeam(context.db, team), findPerson(context.db, person)]);
	return foundTeam.ok && foundPerson.ok ? done({ team: foundTeam.value, person: foundPerson.value }) : refused('team-and-person-missing');
}

/** Adds a person to a team (administrators do not join teams). `added` is false when they were already in it. */
export async function joinTeam(
	context: CommandContext,
	team: TeamRef,
	person: PersonRef
): Promise<Outcome<Membership & { added: boolean }, 'not-allowed' | 'team-and-person-missing' | 'admin-not-in-teams'>> {
	if (!mayAdminister(context.actor)) return refused('not-allowed');
	const found = await teamAndPerson(context, team, person);
	if (!found.ok) return found;
	const membership = found.value;
	if (membership.person.role === 'admin') return refused('admin-not-in-teams');
	const added = await addTeamMember(context.db, membership.team.id, membership.person.id);
	if (added)
		await auditAs(context, { action: 'team.member_added', targetType: 'team', targetId: membership.team.id, detail: { userId: membership.person.id } });
	return done({ ...membership, added });
}

/** Takes a person out of a team; their live connections to the team's plans are re-checked at once. */
export async function leaveTeam(
	context: CommandContext,
	team: TeamRef,
	person: PersonRef
): Promise<Outcome<Membership & { removed: boolean }, 'not-allowed' | 'team-and-person-missing'>> {
	if (!mayAdminister(context.actor)) return refused('not-allowed');
	const found = await teamAndPerson(context, team, person);
	if (!found.ok) return found;
	const membership = found.value;
	const removed = await removeTeamMember(context.db, membership.team.id, membership.person.id);
	if (removed) {
		await auditAs(context, { action: 'team.member_removed', targetType: 'team', targetId: membership.team.id, detail: { userId: membership.person.id } });
		for (const plan of (await listAllPlans(context.db)).filter((plan) => plan.team.id === membership.team.id)) {
			announceAccessChange({ kind: 'plan_access_changed', planId: plan.id, userId: membership.person.id });
		}
	}
	return done({ ...membership, removed });
}
