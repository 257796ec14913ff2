import { updatePlanDetails } from '../../db/plans.ts';
import { done, refused, type Outcome } from '../../src/lib/shared/outcome.ts';
import { checkOptionalDate, checkPlanStatus, checkPlanTitle, type InvalidCode } from '../../src/lib/shared/validation.ts';
import { auditAs, type CommandContext } from './actor.ts';
import { isCareTeamProfessional, openPlanToChange, type PlanAccessCode } from './plan-access.ts';

/** The plan's details as sent; null when what was sent could not be read. */
export type PlanDetailsInput = { title: unknown; reviewDate: unknown; status: unknown } | null;

export type PlanDetailsCode = PlanAccessCode | 'plan-details-care-team-only' | 'form-unreadable' | InvalidCode;

/** Changes a plan's title, review date and status: the professionals of its care team do this. */
export async function changePlanDetails(
	context: CommandContext,
	planId: string,
	input: PlanDetailsInput
): Promise<Outcome<{ code: 'plan-details-saved' }, PlanDetailsCode>> {
	const opened = await openPlanToChange(context, planId, { may: isCareTeamProfessional, refusal: 'plan-details-care-team-only' });
	if (!opened.ok) return opened;
	if (!input) return refused('form-unreadable');
	const title = checkPlanTitle(input.title);
	if (!title.ok) return title;
	const reviewDate = checkOptionalDate(input.reviewDate);
	if (!reviewDate.ok) return reviewDate;
	const status = checkPlanStatus(input.status);
	if (!status.ok) return status;
	await updatePlanDetails(context.db, planId, { title: title.value, reviewDate: reviewDate.value, status: status.value });
	await auditAs(context, { action: 'plan.updated', targetType: 'plan', targetId: planId, detail: { reviewDate: reviewDate.value, status: status.value } });
	return done({ code: 'plan-details-saved' });
}
