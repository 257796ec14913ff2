import { createNamedTeam, joinTeam, leaveTeam } from '$commands/teams';
import { refusedAction, savedAction } from '$lib/server/answers';
import { commandContext } from '$lib/server/command-context';
import { readForm, UNREADABLE } from '$lib/server/forms';
import { requireRole } from '$lib/server/guards';
import { loadTeamsPage } from '$lib/server/people';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	return loadTeamsPage();
};

export const actions: Actions = {
	create: async (event) => {
		const context = commandContext(event, requireRole(event, 'admin'));
		const form = await readForm(event);
		if (!form) return refusedAction(UNREADABLE, { form: 'create', name: '' });
		const created = await createNamedTeam(context, form.get('name'));
		if (!created.ok) return refusedAction(created, { form: 'create', name: String(form.get('name') ?? '').trim() });
		return savedAction({ code: 'team-created', params: { name: created.value.name } }, { form: 'create' });
	},

	add: async (event) => {
		const context = commandContext(event, requireRole(event, 'admin'));
		const form = await readForm(event);
		if (!form) return refusedAction(UNREADABLE, { form: 'members' });
		const joined = await joinTeam(context, { id: form.get('teamId') }, { id: form.get('userId') });
		if (!joined.ok) return refusedAction(joined, { form: 'members' });
		const { team, person, added } = joined.value;
		return savedAction({ code: added ? 'team-joined' : 'team-already-member', params: { name: person.displayName, team: team.name } }, { form: 'members' });
	},

	remove: async (event) => {
		const context = commandContext(event, requireRole(event, 'admin'));
		const form = await readForm(event);
		if (!form) return refusedAction(UNREADABLE, { form: 'members' });
		const left = await leaveTeam(context, { id: form.get('teamId') }, { id: form.get('userId') });
		if (!left.ok) return refusedAction(left, { form: 'members' });
		return savedAction({ code: 'team-left', params: { name: left.value.person.displayName, team: left.value.team.name } }, { form: 'members' });
	}
};
