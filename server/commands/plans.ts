import { createPlan } from '../../db/plans.ts';
import { listTeamsOf } from '../../db/teams.ts';
import type { CarePlan, Team, User } from '../../db/schema/index.ts';
import { done, refused, type Outcome } from '../../src/lib/shared/outcome.ts';
import { checkOptionalDate, checkPlanTitle, defaultPlanTitle, type InvalidCode } from '../../src/lib/shared/validation.ts';
import { auditAs, mayAdminister, type CommandContext } from './actor.ts';
import { findPerson, findTeam, type PersonRef, type TeamRef } from './lookup.ts';

export interface NewPlan {
	/** The person the plan belongs to: a service user. */
	serviceUser: PersonRef;
	/** The team that supports them. */
	team: TeamRef;
	/** Empty or missing: "<name>'s recovery plan". */
	title: unknown;
	reviewDate: unknown;
	/** The administrator was told the person is not in the team and starts the plan there all the same. */
	outsideTeam?: boolean;
}

/**
 * Starts a plan for a service user, supported by a team; the professionals join its care team afterwards. A team the
 * person is not in is refused unless `outsideTeam` says the administrator meant it.
 */
export async function startPlan(
	context: CommandContext,
	input: NewPlan
): Promise<
	Outcome<
		{ plan: CarePlan; serviceUser: User; team: Team },
		InvalidCode | 'not-allowed' | 'account-not-found' | 'not-a-service-user' | 'team-not-found' | 'person-not-in-team'
	>
> {
	if (!mayAdminister(context.actor)) return refused('not-allowed');
	const person = await findPerson(context.db, input.serviceUser);
	// A form that names nobody (or somebody gone) has not chosen the person; the command line names a username.
	if (!person.ok) return 'id' in input.serviceUser ? refused('not-a-service-user') : person;
	const serviceUser = person.value;
	if (serviceUser.role !== 'service_user') return refused('not-a-service-user', { username: serviceUser.username });
	const team = await findTeam(context.db, input.team);
	if (!team.ok) return team;
	const title = checkPlanTitle(typeof input.title === 'string' && input.title.trim() ? input.title : defaultPlanTitle(serviceUser.displayName));
	if (!title.ok) return title;
	const reviewDate = checkOptionalDate(input.reviewDate);
	if (!reviewDate.ok) return reviewDate;
	// Usually a slip: the team's professionals and supervisor would support someone they do not know.
	if (!input.outsideTeam && !(await listTeamsOf(context.db, serviceUser.id)).some((joined) => joined.id === team.value.id)) {
		return refused('person-not-in-team', { name: serviceUser.displayName, team: team.value.name });
	}
	const created = await createPlan(context.db, { title: title.value, serviceUserId: serviceUser.id, teamId: team.value.id, reviewDate: reviewDate.value });
	// Checked just above; only a concurrent change (the person's role, the team deleted) gets here.
	if (!created.ok) return refused(created.error === 'unknown_team' ? 'team-not-found' : 'not-a-service-user', { username: serviceUser.username });
	await auditAs(context, {
		action: 'plan.created',
		targetType: 'plan',
		targetId: created.value.id,
		detail: { serviceUserId: serviceUser.id, teamId: team.value.id }
	});
	return done({ plan: created.value, serviceUser, team: team.value });
}
