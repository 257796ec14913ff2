import { announceAccessChange } from '../../db/access-events.ts';
import { addCareTeamMember, findPlanSummary, listCareTeam, removeCareTeamMember } from '../../db/plans.ts';
import type { User } from '../../db/schema/index.ts';
import { listTeamsOf } from '../../db/teams.ts';
import { done, refused, type Outcome } from '../../src/lib/shared/outcome.ts';
import { isUuid } from '../../src/lib/shared/validation.ts';
import { mayAdminister, originOf, personOf, type CommandContext } from './actor.ts';
import { findPerson, type PersonRef } from './lookup.ts';
import { notify } from './notifications.ts';

/**
 * Adds a professional to a plan's care team, so they can open and change the plan. `added` is false when they were
 * on it already (nothing is recorded then). A professional who is not in the plan's team is refused unless
 * `outsideTeam` says the administrator meant it (someone from another team helping out). db/plans.ts records the change in the care team's history and the
 * audit trail.
 */
export async function addToCareTeam(
	context: CommandContext,
	planId: unknown,
	person: PersonRef,
	options: { outsideTeam?: boolean } = {}
): Promise<
	Outcome<
		{ person: User; added: boolean },
		'not-allowed' | 'plan-id-invalid' | 'choose-professional' | 'account-not-found' | 'plan-gone' | 'not-a-professional' | 'professional-not-in-team'
	>
> {
	if (!mayAdminister(context.actor)) return refused('not-allowed');
	if (!isUuid(planId)) return refused('plan-id-invalid', { id: String(planId ?? '') });
	const found = await findPerson(context.db, person);
	// A form that names nobody has not chosen a professional; the command line names a username.
	if (!found.ok) return 'id' in person ? refused('choose-professional') : found;
	const plan = await findPlanSummary(context.db, planId);
	if (!plan) return refused('plan-gone', { id: planId });
	if (
		!options.outsideTeam &&
		found.value.role === 'professional' &&
		!(await listCareTeam(context.db, planId)).some((member) => member.id === found.value.id) &&
		!(await listTeamsOf(context.db, found.value.id)).some((joined) => joined.id === plan.team.id)
	) {
		return refused('professional-not-in-team', { name: found.value.displayName, team: plan.team.name });
	}
	const added = await addCareTeamMember(context.db, planId, found.value.id, personOf(context.actor)?.id ?? null, originOf(context.actor));
	if (!added.ok)
		return added.error === 'unknown_plan' ? refused('plan-gone', { id: planId }) : refused('not-a-professional', { username: found.value.username });
	if (added.value) await notify(context, [found.value.id], { kind: 'care-team-added', planId });
	return done({ person: found.value, added: added.value });
}

/** Takes a professional off a plan's care team; their open connections to the plan close at once. */
export async function removeFromCareTeam(
	context: CommandContext,
	planId: unknown,
	person: PersonRef
): Promise<Outcome<{ removed: boolean }, 'not-allowed' | 'plan-or-person-gone'>> {
	if (!mayAdminister(context.actor)) return refused('not-allowed');
	const found = await findPerson(context.db, person);
	if (!isUuid(planId) || !found.ok || !(await findPlanSummary(context.db, planId))) return refused('plan-or-person-gone');
	const removed = await removeCareTeamMember(context.db, planId, found.value.id, personOf(context.actor)?.id ?? null, originOf(context.actor));
	if (removed) announceAccessChange({ kind: 'plan_access_changed', planId, userId: found.value.id });
	return done({ removed });
}
