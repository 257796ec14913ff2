import { wordsFor } from '$lib/shared/outcome-words';
import { fail } from '@sveltejs/kit';
import { announceAccessChange } from '$db/access-events';
import { findAccountById, listAccounts } from '$db/accounts';
import { addCareTeamMember, createPlan, findPlanSummary, listAllPlans, listCareTeam, removeCareTeamMember } from '$db/plans';
import { listTeams } from '$db/teams';
import { checkOptionalDate, checkPlanTitle, defaultPlanTitle, isUuid } from '$lib/shared/validation';
import { audit } from '$lib/server/audit';
import { db } from '$lib/server/db';
import { readForm, UNREADABLE_FORM } from '$lib/server/forms';
import { requireRole } from '$lib/server/guards';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	const [plans, accounts, teams] = await Promise.all([listAllPlans(db()), listAccounts(db()), listTeams(db())]);
	const careTeams = await Promise.all(plans.map((plan) => listCareTeam(db(), plan.id)));
	const active = accounts.filter((account) => !account.disabledAt);
	const pick = ({ id, displayName, role, discipline }: (typeof accounts)[number]) => ({ id, displayName, role, discipline });
	return {
		plans: plans.map((plan, index) => ({ ...plan, careTeam: careTeams[index]! })),
		serviceUsers: active.filter((account) => account.role === 'service_user').map(pick),
		professionals: active.filter((account) => account.role === 'professional').map(pick),
		teams
	};
};

const CREATE_ERRORS = {
	not_a_service_user: 'Please choose the person the plan belongs to.',
	unknown_team: 'Please choose the team that supports them.'
};

export const actions: Actions = {
	create: async (event) => {
		requireRole(event, 'admin');
		const form = await readForm(event);
		if (!form) return fail(400, { form: 'create', message: UNREADABLE_FORM });
		const serviceUserId = form.get('serviceUserId');
		const teamId = form.get('teamId');
		if (!isUuid(serviceUserId)) return fail(400, { form: 'create', message: CREATE_ERRORS.not_a_service_user });
		if (!isUuid(teamId)) return fail(400, { form: 'create', message: CREATE_ERRORS.unknown_team });
		const person = await findAccountById(db(), serviceUserId);
		const rawTitle = form.get('title');
		const title = checkPlanTitle(typeof rawTitle === 'string' && rawTitle.trim() ? rawTitle : defaultPlanTitle(person?.displayName ?? ''));
		if (!title.ok) return fail(400, { form: 'create', message: wordsFor(title) });
		const reviewDate = checkOptionalDate(form.get('reviewDate'));
		if (!reviewDate.ok) return fail(400, { form: 'create', message: wordsFor(reviewDate) });
		const created = await createPlan(db(), { title: title.value, serviceUserId, teamId, reviewDate: reviewDate.value });
		if (!created.ok) return fail(400, { form: 'create', message: CREATE_ERRORS[created.error] });
		await audit(event, { action: 'plan.created', targetType: 'plan', targetId: created.value.id, detail: { serviceUserId, teamId } });
		return { form: 'create', saved: true, message: `Plan created for ${person?.displayName}. Now add the professionals to the care team.` };
	},

	assign: async (event) => {
		const admin = requireRole(event, 'admin');
		const form = await readForm(event);
		if (!form) return fail(400, { form: 'care-team', message: UNREADABLE_FORM });
		const planId = form.get('planId');
		const userId = form.get('userId');
		if (!isUuid(planId) || !isUuid(userId)) return fail(400, { form: 'care-team', message: 'Please choose a professional.' });
		const added = await addCareTeamMember(db(), planId, userId, admin.id, { ip: event.getClientAddress() });
		if (!added.ok) {
			const message = added.error === 'unknown_plan' ? 'That plan no longer exists.' : 'Only professionals can join a care team.';
			return fail(400, { form: 'care-team', message });
		}
		return { form: 'care-team', saved: true, message: added.value ? 'Added to the care team.' : 'They are already on this care team.' };
	},

	unassign: async (event) => {
		const admin = requireRole(event, 'admin');
		const form = await readForm(event);
		if (!form) return fail(400, { form: 'care-team', message: UNREADABLE_FORM });
		const planId = form.get('planId');
		const userId = form.get('userId');
		if (!isUuid(planId) || !isUuid(userId) || !(await findPlanSummary(db(), planId))) {
			return fail(400, { form: 'care-team', message: 'That plan or person no longer exists.' });
		}
		if (await removeCareTeamMember(db(), planId, userId, admin.id, { ip: event.getClientAddress() })) {
			announceAccessChange({ kind: 'plan_access_changed', planId, userId });
		}
		return { form: 'care-team', saved: true, message: 'Removed from the care team. They can no longer open this plan.' };
	}
};
