import { wordsFor } from '$lib/shared/outcome-words';
import { fail } from '@sveltejs/kit';
import { listCareTeamChanges, listPlanViewers } from '$db/access-log';
import { lastAppointmentVersion, listAppointments } from '$db/appointments';
import { createInvitation } from '$db/invitations';
import { listCareTeam, updatePlanDetails } from '$db/plans';
import { presenceFor } from '$lib/shared/presence';
import { checkOptionalDate, checkPlanStatus, checkPlanTitle } from '$lib/shared/validation';
import { endAppointmentAction, scheduleAppointmentAction, startAppointmentAction } from '$lib/server/appointments';
import { audit } from '$lib/server/audit';
import { db } from '$lib/server/db';
import { readForm, UNREADABLE_FORM } from '$lib/server/forms';
import { invitationLink } from '$lib/server/invitation-link';
import { loadClientOwners } from '$lib/server/history/documents';
import { loadAuthors } from '$lib/server/history/people';
import { lastAgreed, loadVersions } from '$lib/server/history/versions';
import { openPlan } from '$lib/server/plan-access';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { user, access, plan } = await openPlan(event);
	await audit(event, { action: 'plan.viewed', targetType: 'plan', targetId: plan.id });
	const isOwner = user.id === plan.serviceUser.id;
	const [careTeam, owners, versions, appointments, lastAppointment, viewers, careTeamChanges] = await Promise.all([
		listCareTeam(db(), plan.id),
		loadClientOwners(plan.id),
		loadVersions(plan.id, plan.serviceUser.id),
		listAppointments(db(), plan.id),
		lastAppointmentVersion(db(), plan.id),
		isOwner ? listPlanViewers(db(), plan.id, user.id) : Promise.resolve(null),
		isOwner ? listCareTeamChanges(db(), plan.id) : Promise.resolve(null)
	]);
	const authors = await loadAuthors([plan.serviceUser.id, ...careTeam.map((member) => member.id), ...owners.values()]);
	const agreed = await lastAgreed(plan.id, versions);
	return {
		plan,
		access,
		me: presenceFor(user, access !== 'edit'),
		careTeam,
		canManage: access === 'edit' && user.role === 'professional',
		writers: [...owners] as [number, string][],
		people: [...authors.values()].map(({ id, name, kind, roleLabel }) => ({ id, name, kind, roleLabel })),
		agreed: agreed && { name: agreed.version.name, seq: agreed.version.seq, createdAt: agreed.version.createdAt, changedSince: agreed.changedSince },
		lastVersion: versions[0] ? { name: versions[0].name, seq: versions[0].seq } : null,
		appointments,
		lastAppointment,
		viewers,
		careTeamChanges
	};
};

export const actions: Actions = {
	scheduleAppointment: scheduleAppointmentAction,
	startAppointment: startAppointmentAction,
	endAppointment: endAppointmentAction,
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
		if (!title.ok) return fail(400, { form: 'details', message: wordsFor(title) });
		if (!reviewDate.ok) return fail(400, { form: 'details', message: wordsFor(reviewDate) });
		if (!status.ok) return fail(400, { form: 'details', message: wordsFor(status) });
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
		const { token, purpose } = await createInvitation(db(), {
			kind: 'set_password',
			userId: plan.serviceUser.id,
			createdBy: user.id,
			origin: { ip: event.getClientAddress(), detail: { planId: plan.id } }
		});
		return { form: 'invite', link: invitationLink(event, token), replacesPassword: purpose === 'reset' };
	}
};
