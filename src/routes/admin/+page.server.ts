import { fail } from '@sveltejs/kit';
import { createPerson, disablePerson, enablePerson, newSignInLink } from '$commands/people';
import { asPerson, refusalOf, savedWith } from '$lib/server/commands';
import { readForm, UNREADABLE } from '$lib/server/forms';
import { requireRole } from '$lib/server/guards';
import { invitationLink } from '$lib/server/invitation-link';
import { loadPeoplePage } from '$lib/server/people';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	return loadPeoplePage();
};

/** The status a refusal is answered with: 404 for an account that is not there, 400 otherwise. */
const statusOf = (code: string) => (code === 'account-not-found' ? 404 : code === 'not-allowed' ? 403 : 400);

export const actions: Actions = {
	create: async (event) => {
		const admin = requireRole(event, 'admin');
		const form = await readForm(event);
		if (!form) return fail(400, { ...refusalOf('create', UNREADABLE), values: {} });
		const values = Object.fromEntries(form.entries());
		const teamId = form.get('teamId');
		const created = await createPerson(asPerson(event, admin), {
			username: form.get('username'),
			displayName: form.get('displayName'),
			role: form.get('role'),
			discipline: form.get('discipline'),
			team: teamId ? { id: teamId } : null
		});
		if (!created.ok) return fail(statusOf(created.code), { ...refusalOf('create', created), values });
		const { account, link } = created.value;
		return {
			...savedWith('create', 'account-created', { name: account.displayName }),
			link: invitationLink(event, link.token),
			linkFor: account.displayName,
			replacesPassword: false
		};
	},

	invite: async (event) => {
		const admin = requireRole(event, 'admin');
		const form = await readForm(event);
		if (!form) return fail(400, refusalOf('row', UNREADABLE));
		const made = await newSignInLink(asPerson(event, admin), { id: form.get('userId') });
		if (!made.ok) return fail(statusOf(made.code), refusalOf('row', made));
		const { account, link } = made.value;
		return {
			...savedWith('row', 'sign-in-link-made', { name: account.displayName }),
			link: invitationLink(event, link.token),
			linkFor: account.displayName,
			replacesPassword: link.purpose === 'reset'
		};
	},

	disable: async (event) => {
		const admin = requireRole(event, 'admin');
		const form = await readForm(event);
		if (!form) return fail(400, refusalOf('row', UNREADABLE));
		const disabled = await disablePerson(asPerson(event, admin), { id: form.get('userId') });
		if (!disabled.ok) return fail(statusOf(disabled.code), refusalOf('row', disabled));
		return savedWith('row', 'account-disabled-now', { name: disabled.value.displayName });
	},

	enable: async (event) => {
		const admin = requireRole(event, 'admin');
		const form = await readForm(event);
		if (!form) return fail(400, refusalOf('row', UNREADABLE));
		const enabled = await enablePerson(asPerson(event, admin), { id: form.get('userId') });
		if (!enabled.ok) return fail(statusOf(enabled.code), refusalOf('row', enabled));
		return savedWith('row', 'account-enabled', { name: enabled.value.displayName });
	}
};
