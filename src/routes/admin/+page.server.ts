import { createPerson, disablePerson, enablePerson, newSignInLink } from '$commands/people';
import { changePersonDetails } from '$commands/person-details';
import { resetPersonSecondFactors } from '$commands/second-factor-reset';
import { refusedAction, savedAction } from '$lib/server/answers';
import { commandContext } from '$lib/server/command-context';
import { requireFreshRole } from '$lib/server/confirmation';
import { mintRequestKey, readForm, UNREADABLE, withRequestKey } from '$lib/server/forms';
import { requireRole } from '$lib/server/guards';
import { invitationLink } from '$lib/server/invitation-link';
import { loadPeoplePage } from '$lib/server/people';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	return { ...(await loadPeoplePage()), requestKey: mintRequestKey() };
};

// Administration is sensitive: every change asks again when the admin last confirmed who they are over 15 minutes ago.
export const actions: Actions = {
	create: async (event) => {
		const context = commandContext(event, requireFreshRole(event, 'admin'));
		const form = await readForm(event);
		if (!form) return refusedAction(UNREADABLE, { form: 'create', values: {} });
		const teamId = form.get('teamId');
		const created = await createPerson(withRequestKey(context, form), {
			username: form.get('username'),
			displayName: form.get('displayName'),
			role: form.get('role'),
			discipline: form.get('discipline'),
			team: teamId ? { id: teamId } : null
		});
		if (!created.ok) return refusedAction(created, { form: 'create', values: Object.fromEntries(form.entries()) });
		const { account, link } = created.value;
		return savedAction(
			{ code: 'account-created', params: { name: account.displayName } },
			{ form: 'create', link: invitationLink(event, link.token), linkFor: account.displayName, replacesPassword: false }
		);
	},

	invite: async (event) => {
		const context = commandContext(event, requireFreshRole(event, 'admin'));
		const form = await readForm(event);
		if (!form) return refusedAction(UNREADABLE, { form: 'row' });
		const made = await newSignInLink(withRequestKey(context, form), { id: form.get('userId') });
		if (!made.ok) return refusedAction(made, { form: 'row' });
		const { account, link } = made.value;
		return savedAction(
			{ code: 'sign-in-link-made', params: { name: account.displayName } },
			{ form: 'row', link: invitationLink(event, link.token), linkFor: account.displayName, replacesPassword: link.purpose === 'reset' }
		);
	},

	edit: async (event) => {
		const context = commandContext(event, requireFreshRole(event, 'admin'));
		const form = await readForm(event);
		if (!form) return refusedAction(UNREADABLE, { form: 'row' });
		const userId = form.get('userId');
		const edited = await changePersonDetails(
			context,
			{ id: userId },
			{ displayName: form.get('displayName'), username: form.get('username'), discipline: form.get('discipline') ?? undefined }
		);
		if (!edited.ok) return refusedAction(edited, { form: 'edit', userId: String(userId ?? ''), values: Object.fromEntries(form.entries()) });
		const { account, changed } = edited.value;
		return savedAction(
			{ code: changed.length > 0 ? 'person-details-saved' : 'person-details-unchanged', params: { name: account.displayName } },
			{ form: 'row' }
		);
	},

	disable: async (event) => {
		const context = commandContext(event, requireFreshRole(event, 'admin'));
		const form = await readForm(event);
		if (!form) return refusedAction(UNREADABLE, { form: 'row' });
		const disabled = await disablePerson(context, { id: form.get('userId') });
		if (!disabled.ok) return refusedAction(disabled, { form: 'row' });
		return savedAction({ code: 'account-disabled-now', params: { name: disabled.value.displayName } }, { form: 'row' });
	},

	/** A lost phone or passkey: the person's second factors go, they are signed out, and set up a new one at next sign-in. */
	resetSecondFactors: async (event) => {
		const context = commandContext(event, requireFreshRole(event, 'admin'));
		const form = await readForm(event);
		if (!form) return refusedAction(UNREADABLE, { form: 'row' });
		const reset = await resetPersonSecondFactors(context, { id: form.get('userId') });
		if (!reset.ok) return refusedAction(reset, { form: 'row' });
		return savedAction({ code: 'second-factors-reset', params: { name: reset.value.account.displayName } }, { form: 'row' });
	},

	enable: async (event) => {
		const context = commandContext(event, requireFreshRole(event, 'admin'));
		const form = await readForm(event);
		if (!form) return refusedAction(UNREADABLE, { form: 'row' });
		const enabled = await enablePerson(context, { id: form.get('userId') });
		if (!enabled.ok) return refusedAction(enabled, { form: 'row' });
		return savedAction({ code: 'account-enabled', params: { name: enabled.value.displayName } }, { form: 'row' });
	}
};
