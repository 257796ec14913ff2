import { clearTeamCrisisContact, createNamedTeam, joinTeam, leaveTeam, setTeamCrisisContact } from '$commands/teams';
import { refusedAction, savedAction } from '$lib/server/answers';
import { commandContext } from '$lib/server/command-context';
import { requireFreshRole } from '$lib/server/confirmation';
import { readForm, UNREADABLE } from '$lib/server/forms';
import { requireRole } from '$lib/server/guards';
import { loadTeamCrisisContacts } from '$lib/server/crisis-contacts';
import { loadTeamsPage } from '$lib/server/people';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	const page = await loadTeamsPage();
	return { ...page, crisisContacts: await loadTeamCrisisContacts(page.teams.map((team) => team.id)) };
};

// Administration is sensitive: every change asks again when the admin last confirmed who they are over 15 minutes ago.
export const actions: Actions = {
	create: async (event) => {
		const context = commandContext(event, requireFreshRole(event, 'admin'));
		const form = await readForm(event);
		if (!form) return refusedAction(UNREADABLE, { form: 'create', name: '' });
		const created = await createNamedTeam(context, form.get('name'));
		if (!created.ok) return refusedAction(created, { form: 'create', name: String(form.get('name') ?? '').trim() });
		return savedAction({ code: 'team-created', params: { name: created.value.name } }, { form: 'create' });
	},

	add: async (event) => {
		const context = commandContext(event, requireFreshRole(event, 'admin'));
		const form = await readForm(event);
		if (!form) return refusedAction(UNREADABLE, { form: 'members' });
		const joined = await joinTeam(context, { id: form.get('teamId') }, { id: form.get('userId') });
		if (!joined.ok) return refusedAction(joined, { form: 'members' });
		const { team, person, added } = joined.value;
		return savedAction({ code: added ? 'team-joined' : 'team-already-member', params: { name: person.displayName, team: team.name } }, { form: 'members' });
	},

	remove: async (event) => {
		const context = commandContext(event, requireFreshRole(event, 'admin'));
		const form = await readForm(event);
		if (!form) return refusedAction(UNREADABLE, { form: 'members' });
		const left = await leaveTeam(context, { id: form.get('teamId') }, { id: form.get('userId') });
		if (!left.ok) return refusedAction(left, { form: 'members' });
		return savedAction({ code: 'team-left', params: { name: left.value.person.displayName, team: left.value.team.name } }, { form: 'members' });
	},

	crisisContact: async (event) => {
		const context = commandContext(event, requireFreshRole(event, 'admin'));
		const form = await readForm(event);
		if (!form) return refusedAction(UNREADABLE, { form: 'crisis', teamId: '' });
		const teamId = String(form.get('teamId') ?? '');
		const sent = { name: form.get('name'), phone: form.get('phone'), hours: form.get('hours'), note: form.get('note') };
		const set = await setTeamCrisisContact(context, { id: teamId }, sent);
		if (!set.ok)
			return refusedAction(set, { form: 'crisis', teamId, sent: Object.fromEntries(Object.entries(sent).map(([key, value]) => [key, String(value ?? '')])) });
		return savedAction({ code: 'crisis-contact-saved', params: { team: set.value.team.name } }, { form: 'crisis', teamId });
	},

	clearCrisisContact: async (event) => {
		const context = commandContext(event, requireFreshRole(event, 'admin'));
		const form = await readForm(event);
		if (!form) return refusedAction(UNREADABLE, { form: 'crisis', teamId: '' });
		const teamId = String(form.get('teamId') ?? '');
		const cleared = await clearTeamCrisisContact(context, { id: teamId });
		if (!cleared.ok) return refusedAction(cleared, { form: 'crisis', teamId });
		return savedAction({ code: 'crisis-contact-cleared', params: { team: cleared.value.team.name } }, { form: 'crisis', teamId });
	}
};
