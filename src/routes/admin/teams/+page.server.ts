import { wordsFor } from '$lib/shared/outcome-words';
import { fail } from '@sveltejs/kit';
import { announceAccessChange } from '$db/access-events';
import { findAccountById, listAccounts } from '$db/accounts';
import { addTeamMember, createTeam, findTeamById, listTeamMembers, listTeams, removeTeamMember } from '$db/teams';
import { listAllPlans } from '$db/plans';
import { checkTeamName, isUuid } from '$lib/shared/validation';
import { audit } from '$lib/server/audit';
import { db } from '$lib/server/db';
import { readForm, UNREADABLE_FORM } from '$lib/server/forms';
import { requireRole } from '$lib/server/guards';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	const teams = await listTeams(db());
	const members = await Promise.all(teams.map((team) => listTeamMembers(db(), team.id)));
	const accounts = await listAccounts(db());
	return {
		teams: teams.map((team, index) => ({ ...team, members: members[index]! })),
		people: accounts.filter((account) => account.role !== 'admin' && !account.disabledAt).map(({ id, displayName, role, discipline }) => ({ id, displayName, role, discipline }))
	};
};

async function teamAndPerson(form: FormData) {
	const teamId = form.get('teamId');
	const userId = form.get('userId');
	const team = isUuid(teamId) ? await findTeamById(db(), teamId) : null;
	const person = isUuid(userId) ? await findAccountById(db(), userId) : null;
	return { team, person };
}

export const actions: Actions = {
	create: async (event) => {
		requireRole(event, 'admin');
		const form = await readForm(event);
		if (!form) return fail(400, { form: 'create', message: UNREADABLE_FORM, name: '' });
		const name = checkTeamName(form.get('name'));
		if (!name.ok) return fail(400, { form: 'create', message: wordsFor(name), name: String(form.get('name') ?? '') });
		const created = await createTeam(db(), name.value);
		if (!created.ok) return fail(400, { form: 'create', message: `There is already a team called “${name.value}”.`, name: name.value });
		await audit(event, { action: 'team.created', targetType: 'team', targetId: created.value.id, detail: { name: name.value } });
		return { form: 'create', saved: true, message: `Team “${name.value}” created.` };
	},

	add: async (event) => {
		requireRole(event, 'admin');
		const form = await readForm(event);
		if (!form) return fail(400, { form: 'members', message: UNREADABLE_FORM });
		const { team, person } = await teamAndPerson(form);
		if (!team || !person) return fail(400, { form: 'members', message: 'Please choose a team and a person.' });
		if (person.role === 'admin') return fail(400, { form: 'members', message: 'Administrators do not join teams.' });
		const added = await addTeamMember(db(), team.id, person.id);
		if (added) await audit(event, { action: 'team.member_added', targetType: 'team', targetId: team.id, detail: { userId: person.id } });
		return { form: 'members', saved: true, message: added ? `${person.displayName} joined ${team.name}.` : `${person.displayName} is already in ${team.name}.` };
	},

	remove: async (event) => {
		requireRole(event, 'admin');
		const form = await readForm(event);
		if (!form) return fail(400, { form: 'members', message: UNREADABLE_FORM });
		const { team, person } = await teamAndPerson(form);
		if (!team || !person) return fail(400, { form: 'members', message: 'Please choose a team and a person.' });
		const removed = await removeTeamMember(db(), team.id, person.id);
		if (removed) {
			await audit(event, { action: 'team.member_removed', targetType: 'team', targetId: team.id, detail: { userId: person.id } });
			for (const plan of (await listAllPlans(db())).filter((plan) => plan.team.id === team.id)) {
				announceAccessChange({ kind: 'plan_access_changed', planId: plan.id, userId: person.id });
			}
		}
		return { form: 'members', saved: true, message: `${person.displayName} has left ${team.name}.` };
	}
};
