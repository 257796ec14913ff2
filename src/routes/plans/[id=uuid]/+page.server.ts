import { cancelAppointment, endAppointment, moveAppointment, scheduleAppointment, startAppointment } from '$commands/appointments';
import { linkForPlanOwner } from '$commands/invitations';
import { changePlanDetails } from '$commands/plan-details';
import { answeredAction, refusedAction } from '$lib/server/answers';
import { audit } from '$lib/server/audit';
import { commandContext } from '$lib/server/command-context';
import { mintRequestKey, readForm, withRequestKey } from '$lib/server/forms';
import { invitationLink } from '$lib/server/invitation-link';
import { loadPlanPage } from '$lib/server/plan-page';
import { openPlan } from '$lib/server/plan-access';
import { sessionLimits } from '$lib/server/settings';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async (event) => {
	const opened = await openPlan(event);
	await audit(event, { action: 'plan.viewed', targetType: 'plan', targetId: opened.plan.id });
	// How long this person's session lasts without activity (null: no limit), so the open plan can warn before it ends.
	const idleLimitMs = sessionLimits().idleLimitMs(opened.user.role);
	return { ...(await loadPlanPage(opened)), requestKey: mintRequestKey(), idleLimitMs };
};

/** An appointment form: booking, starting or ending one (answers name the form, the page shows them beside it). */
async function appointmentAction(event: RequestEvent, run: typeof startAppointment | typeof endAppointment | typeof cancelAppointment) {
	const form = await readForm(event);
	const outcome = await run(commandContext(event), event.params.id, form && { appointment: form.get('appointment') });
	return answeredAction(outcome, { form: 'appointment' as const });
}

export const actions: Actions = {
	scheduleAppointment: async (event) => {
		const form = await readForm(event);
		const booking = form && { when: form.get('when'), place: form.get('place'), attendees: form.getAll('attendee') };
		const outcome = await scheduleAppointment(withRequestKey(commandContext(event), form), event.params.id, booking);
		// A booking refused for what it says comes back as it was sent, so nothing typed is lost (also without JavaScript);
		// someone who may not book is told only that.
		const mayBook = outcome.ok || outcome.code !== 'appointments-care-team-only';
		const sent =
			!outcome.ok && mayBook && booking
				? { when: String(booking.when ?? ''), place: String(booking.place ?? ''), attendees: booking.attendees.map(String) }
				: null;
		return answeredAction(outcome, { form: 'appointment' as const, booking: sent });
	},
	moveAppointment: async (event) => {
		const form = await readForm(event);
		const appointment = form?.get('appointment');
		const outcome = await moveAppointment(commandContext(event), event.params.id, form && { appointment, when: form.get('when') });
		return answeredAction(outcome, { form: 'appointment' as const, appointment: String(appointment ?? '') });
	},
	cancelAppointment: (event) => appointmentAction(event, cancelAppointment),
	startAppointment: (event) => appointmentAction(event, startAppointment),
	endAppointment: (event) => appointmentAction(event, endAppointment),
	details: async (event) => {
		const form = await readForm(event);
		const outcome = await changePlanDetails(
			commandContext(event),
			event.params.id,
			form && { title: form.get('title'), reviewDate: form.get('reviewDate'), status: form.get('status') }
		);
		return answeredAction(outcome, { form: 'details' as const });
	},
	invite: async (event) => {
		const made = await linkForPlanOwner(withRequestKey(commandContext(event), await readForm(event)), event.params.id);
		if (!made.ok) return refusedAction(made, { form: 'invite' as const });
		return { form: 'invite' as const, link: invitationLink(event, made.value.token), replacesPassword: made.value.purpose === 'reset' };
	}
};
