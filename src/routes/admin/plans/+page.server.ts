import { addToCareTeam, removeFromCareTeam } from '$commands/care-teams';
import { startPlan } from '$commands/plans';
import { refusedAction, savedAction } from '$lib/server/answers';
import { commandContext } from '$lib/server/command-context';
import { readForm, UNREADABLE } from '$lib/server/forms';
import { requireRole } from '$lib/server/guards';
import { loadPlansPage } from '$lib/server/people';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	return loadPlansPage();
};

export const actions: Actions = {
	create: async (event) => {
		const context = commandContext(event, requireRole(event, 'admin'));
		const form = await readForm(event);
		if (!form) return refusedAction(UNREADABLE, { form: 'create', values: {} });
		const started = await startPlan(context, {
			serviceUser: { id: form.get('serviceUserId') },
			team: { id: form.get('teamId') },
			title: form.get('title'),
			reviewDate: form.get('reviewDate'),
			outsideTeam: form.get('outsideTeam') === 'yes'
		});
		if (!started.ok) return refusedAction(started, { form: 'create', values: Object.fromEntries(form.entries()) });
		return savedAction({ code: 'plan-created', params: { name: started.value.serviceUser.displayName } }, { form: 'create' });
	},

	assign: async (event) => {
		const context = commandContext(event, requireRole(event, 'admin'));
		const form = await readForm(event);
		if (!form) return refusedAction(UNREADABLE, { form: 'care-team' });
		const added = await addToCareTeam(context, form.get('planId'), { id: form.get('userId') }, { outsideTeam: form.get('outsideTeam') === 'yes' });
		if (!added.ok) return refusedAction(added, { form: 'care-team', values: Object.fromEntries(form.entries()) });
		return savedAction({ code: added.value.added ? 'care-team-added' : 'care-team-already-member' }, { form: 'care-team' });
	},

	unassign: async (event) => {
		const context = commandContext(event, requireRole(event, 'admin'));
		const form = await readForm(event);
		if (!form) return refusedAction(UNREADABLE, { form: 'care-team' });
		const removed = await removeFromCareTeam(context, form.get('planId'), { id: form.get('userId') });
		if (!removed.ok) return refusedAction(removed, { form: 'care-team' });
		return savedAction({ code: 'care-team-removed' }, { form: 'care-team' });
	}
};
