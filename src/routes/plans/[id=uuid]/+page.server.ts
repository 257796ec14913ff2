import { error, fail } from '@sveltejs/kit';
import { createInvitation } from '$db/invitations';
import { findPlanSummary, getPlanAccess, listCareTeam, updatePlanDetails } from '$db/plans';
import { presenceFor } from '$lib/shared/presence';
import { checkOptionalDate, checkPlanStatus, checkPlanTitle } from '$lib/shared/validation';
import { audit } from '$lib/server/audit';
import { db } from '$lib/server/db';
import { readForm, UNREADABLE_FORM } from '$lib/server/forms';
import { requireUser } from '$lib/server/guards';
import { invitationLink } from '$lib/server/invitation-link';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const NOT_FOUND = { message: 'We could not find that plan. It may not exist, or it is not shared with you.' };

/** The plan and what this person may do with it; 404 when they may not see it (its existence stays hidden). */
async function openPlan(event: RequestEvent) {
	const user = requireUser(event);
	const access = await getPlanAccess(db(), user, event.params.id);
	if (!access) {
		await audit(event, { action: 'access.denied', targetType: 'plan', targetId: event.params.id });
		error(404, NOT_FOUND);
	}
	const plan = await findPlanSummary(db(), event.params.id);
	if (!plan) error(404, NOT_FOUND);
	return { user, access, plan };
}

export const load: PageServerLoad = async (event) => {
	const { user, access, plan } = await openPlan(event);
	await audit(event, { action: 'plan.viewed', targetType: 'plan', targetId: plan.id });
	return {
		plan,
		access,
		me: presenceFor(user, access !== 'edit'),
		careTeam: await listCareTeam(db(), plan.id),
		canManage: access === 'edit' && user.role === 'professional'
	};
};

export const actions: Actions = {
	details: async (event) => {
		const { user, access, plan } = await openPlan(event);
		if (access !== 'edit' || user.role !== 'professional') {
			return fail(403, { form: 'details', message: 'Only the professionals on this care team can change the plan details.' });
		}
		const form = await readForm(event);
		if (!form) return fail(400, { form: 'details', message: UNREADABLE_FORM });
		const title = checkPlanTitle(form.get('title'));
		const reviewDate = checkOptionalDate(form.get('reviewDate'));
		const status = checkPlanStatus(form.get('status'));
		if (!title.ok) return fail(400, { form: 'details', message: title.message });
		if (!reviewDate.ok) return fail(400, { form: 'details', message: reviewDate.message });
		if (!status.ok) return fail(400, { form: 'details', message: status.message });
		await updatePlanDetails(db(), plan.id, { title: title.value, reviewDate: reviewDate.value, status: status.value });
		await audit(event, {
			action: 'plan.updated',
			targetType: 'plan',
			targetId: plan.id,
			detail: { reviewDate: reviewDate.value, status: status.value }
		});
		return { form: 'details', saved: true, message: 'Plan details saved.' };
	},
	invite: async (event) => {
		const { user, access, plan } = await openPlan(event);
		if (access !== 'edit' || user.role !== 'professional') {
			return fail(403, { form: 'invite', message: 'Only the professionals on this care team can create a sign-in link.' });
		}
		const { token } = await createInvitation(db(), { kind: 'set_password', userId: plan.serviceUser.id, createdBy: user.id });
		await audit(event, { action: 'invitation.created', targetType: 'user', targetId: plan.serviceUser.id, detail: { planId: plan.id } });
		return { form: 'invite', link: invitationLink(event, token) };
	}
};
