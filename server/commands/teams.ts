import { announceAccessChange } from '../../db/access-events.ts';
import { clearCrisisContact, setCrisisContact, type CrisisContactInput } from '../../db/crisis-contacts.ts';
import { listAllPlans } from '../../db/plans.ts';
import type { Team, User } from '../../db/schema/index.ts';
import { addTeamMember, createTeam, removeTeamMember } from '../../db/teams.ts';
import { done, refused, type Outcome } from '../../src/lib/shared/outcome.ts';
import { checkTeamName, type InvalidCode } from '../../src/lib/shared/validation.ts';
import { auditAs, mayAdminister, personOf, type CommandContext } from './actor.ts';
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

export const CRISIS_CONTACT_LIMITS = { name: 100, phone: 30, hours: 200, note: 300 } as const;

/** A crisis contact as sent from the form; null when what was sent could not be read. */
export type CrisisContactForm = { name: unknown; phone: unknown; hours: unknown; note: unknown } | null;

export type CrisisContactCode = 'crisis-contact-name-missing' | 'crisis-contact-phone-invalid' | 'crisis-contact-hours-missing' | 'crisis-contact-too-long';

const trimmed = (raw: unknown): string => (typeof raw === 'string' ? raw.trim().replace(/\s+/g, ' ') : '');

/** Who, a number to call (digits, spaces, +, brackets, dashes; at least 3 digits), when, and an optional note. */
function checkCrisisContact(form: NonNullable<CrisisContactForm>): Outcome<CrisisContactInput, CrisisContactCode> {
	const contact = { name: trimmed(form.name), phone: trimmed(form.phone), hours: trimmed(form.hours), note: trimmed(form.note) };
	if (!contact.name) return refused('crisis-contact-name-missing');
	if (!/^\+?[0-9 ()-]+$/.test(contact.phone) || contact.phone.replace(/\D/g, '').length < 3) return refused('crisis-contact-phone-invalid');
	if (!contact.hours) return refused('crisis-contact-hours-missing');
	for (const field of ['name', 'phone', 'hours', 'note'] as const) {
		const max = CRISIS_CONTACT_LIMITS[field];
		if (contact[field].length > max) return refused('crisis-contact-too-long', { field, max });
	}
	return done({ ...contact, note: contact.note || null });
}

/** Sets (or replaces) who a team's people can contact out of hours or in a crisis; shown on every page of its plans. */
export async function setTeamCrisisContact(
	context: CommandContext,
	teamRef: TeamRef,
	form: CrisisContactForm
): Promise<Outcome<{ team: Team }, 'not-allowed' | 'team-not-found' | 'form-unreadable' | CrisisContactCode>> {
	if (!mayAdminister(context.actor)) return refused('not-allowed');
	const team = await findTeam(context.db, teamRef);
	if (!team.ok) return team;
	if (!form) return refused('form-unreadable');
	const contact = checkCrisisContact(form);
	if (!contact.ok) return contact;
	await setCrisisContact(context.db, team.value.id, contact.value, personOf(context.actor)?.id ?? null);
	await auditAs(context, { action: 'team.crisis_contact_set', targetType: 'team', targetId: team.value.id, detail: { ...contact.value } });
	return done({ team: team.value });
}

/** Removes a team's crisis contact. `cleared` is false when it had none. */
export async function clearTeamCrisisContact(
	context: CommandContext,
	teamRef: TeamRef
): Promise<Outcome<{ team: Team; cleared: boolean }, 'not-allowed' | 'team-not-found'>> {
	if (!mayAdminister(context.actor)) return refused('not-allowed');
	const team = await findTeam(context.db, teamRef);
	if (!team.ok) return team;
	const cleared = await clearCrisisContact(context.db, team.value.id);
	if (cleared) await auditAs(context, { action: 'team.crisis_contact_cleared', targetType: 'team', targetId: team.value.id });
	return done({ team: team.value, cleared });
}
