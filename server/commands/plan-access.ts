import { findPlanSummary, getPlanAccess, type PlanAccess, type PlanSummary } from '../../db/plans.ts';
import type { SessionUser } from '../../db/session.ts';
import { done, refused, type Outcome } from '../../src/lib/shared/outcome.ts';
import { isUuid } from '../../src/lib/shared/validation.ts';
import { auditAs, type CommandContext } from './actor.ts';

/** A plan opened by a person, and what they may do with it. */
export interface OpenPlan {
	user: SessionUser;
	access: PlanAccess;
	plan: PlanSummary;
}

export type PlanAccessCode = 'plan-not-found';

/**
 * Opens a plan for whoever asks. A plan they may not see is 'plan-not-found', exactly like a plan that does not
 * exist (its existence stays hidden), and the attempt is recorded as `access.denied`. Plan content is for the people
 * of the plan: the operator, like an administrator, never opens one.
 */
export async function openPlanFor(context: CommandContext, planId: string): Promise<Outcome<OpenPlan, PlanAccessCode>> {
	if (!isUuid(planId)) return refused('plan-not-found');
	const { db, actor } = context;
	const access = actor.kind === 'person' ? await getPlanAccess(db, actor.user, planId) : null;
	if (actor.kind === 'operator' || !access) {
		await auditAs(context, { action: 'access.denied', targetType: 'plan', targetId: planId });
		return refused('plan-not-found');
	}
	const plan = await findPlanSummary(db, planId);
	return plan ? done({ user: actor.user, access, plan }) : refused('plan-not-found');
}

/** Changing the plan's content (versions, sign-offs, restores): the person whose plan it is and its care team. */
export function mayChange(opened: OpenPlan): boolean {
	return opened.access === 'edit';
}

/** A professional on the plan's care team: they manage it (its details, appointments, the person's sign-in link). */
export function isCareTeamProfessional(opened: OpenPlan): boolean {
	return opened.access === 'edit' && opened.user.role === 'professional';
}

/** A right over a plan, and the code a person without it is answered with. */
export interface PlanRight<C extends string> {
	may: (opened: OpenPlan) => boolean;
	refusal: C;
}

/**
 * Opens a plan to change it: 'plan-not-found' first (someone who may not see the plan learns nothing more), then
 * the right's refusal for someone who may see the plan but not do this.
 */
export async function openPlanToChange<C extends string>(
	context: CommandContext,
	planId: string,
	right: PlanRight<C>
): Promise<Outcome<OpenPlan, PlanAccessCode | C>> {
	const opened = await openPlanFor(context, planId);
	if (!opened.ok) return opened;
	return right.may(opened.value) ? opened : refused(right.refusal);
}
