import { addToCareTeam, removeFromCareTeam } from '$commands/care-teams';
import { startPlan } from '$commands/plans';
import { refusedAction, savedAction } from '$lib/server/answers';
import { commandContext } from '$lib/server/command-context';
import { requireFreshRole } from '$lib/server/confirmation';
import { mintRequestKey, readForm, UNREADABLE, withRequestKey } from '$lib/server/forms';
import { requireRole } from '$lib/server/guards';
import { loadPlansPage } from '$lib/server/people';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	return { ...(await loadPlansPage()), requestKey: mintRequestKey() };
};

// Administration is sensitive: every change asks again when the admin last confirmed who they are over 15 minutes ago.
export const actions: Actions = {
	create: async (event) => {
		const context = commandContext(event, requireFreshRole(event, 'admin'));
		const form = await readForm(event);
		if (!form) return refusedAction(UNREADABLE, { form: 'create', values: {} });
		const started = await startPlan(withRequestKey(context, form), {
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
		const context = commandContext(event, requireFreshRole(event, 'admin'));
		const form = await readForm(event);
		if (!form) return refusedAction(UNREADABLE, { form: 'care-team' });
		const added = await addToCareTeam(context, form.get('planId'), { id: form.get('userId') }, { outsideTeam: form.get('outsideTeam') === 'yes' });
		if (!added.ok) return refusedAction(added, { form: 'care-team', values: Object.fromEntries(form.entries()) });
		return savedAction({ code: added.value.added ? 'care-team-added' : 'care-team-already-member' }, { form: 'care-team' });
	},

	unassign: async (event) => {
		const context = commandContext(event, requireFreshRole(event, 'admin'));
		const form = await readForm(event);
		if (!form) return refusedAction(UNREADABLE, { form: 'care-team' });
		const removed = await removeFromCareTeam(context, form.get('planId'), { id: form.get('userId') });
		if (!removed.ok) return refusedAction(removed, { form: 'care-team' });
		return savedAction({ code: 'care-team-removed' }, { form: 'care-team' });
	}
};
