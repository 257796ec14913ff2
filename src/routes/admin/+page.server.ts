import { wordsFor } from '$lib/shared/outcome-words';
import { fail } from '@sveltejs/kit';
import { announceAccessChange } from '$db/access-events';
import { countActiveAdmins, createAccount, findAccountById, listAccounts, setAccountDisabled } from '$db/accounts';
import { createInvitation } from '$db/invitations';
import { invalidateUserSessions } from '$db/session';
import { addTeamMember, findTeamById, listTeams } from '$db/teams';
import { checkNewAccount, isUuid } from '$lib/shared/validation';
import { audit } from '$lib/server/audit';
import { db } from '$lib/server/db';
import { readForm, UNREADABLE_FORM } from '$lib/server/forms';
import { requireRole } from '$lib/server/guards';
import { invitationLink } from '$lib/server/invitation-link';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	const [accounts, teams] = await Promise.all([listAccounts(db()), listTeams(db())]);
	return {
		accounts: accounts.map(({ passwordHash, ...account }) => ({ ...account, hasPassword: passwordHash !== null })),
		teams
	};
};

async function accountFrom(form: FormData) {
	const userId = form.get('userId');
	return isUuid(userId) ? findAccountById(db(), userId) : null;
}

export const actions: Actions = {
	create: async (event) => {
		requireRole(event, 'admin');
		const form = await readForm(event);
		if (!form) return fail(400, { form: 'create', message: UNREADABLE_FORM, values: {} });
		const values = Object.fromEntries(form.entries());
		const account = checkNewAccount({
			username: form.get('username'),
			displayName: form.get('displayName'),
			role: form.get('role'),
			discipline: form.get('discipline')
		});
		if (!account.ok) return fail(400, { form: 'create', message: wordsFor(account), values });
		const teamId = form.get('teamId');
		const team = isUuid(teamId) ? await findTeamById(db(), teamId) : null;
		if (teamId && !team) return fail(400, { form: 'create', message: 'That team no longer exists. Please choose another.', values });

		// Nobody creates an account with a password they know: the person chooses it with a first sign-in link.
		const created = await createAccount(db(), { ...account.value, passwordHash: null });
		if (!created.ok) return fail(400, { form: 'create', message: `The username “${account.value.username}” is already taken.`, values });
		await audit(event, {
			action: 'account.created',
			targetType: 'user',
			targetId: created.value.id,
			detail: { role: account.value.role, discipline: account.value.discipline }
		});
		if (team) {
			await addTeamMember(db(), team.id, created.value.id);
			await audit(event, { action: 'team.member_added', targetType: 'team', targetId: team.id, detail: { userId: created.value.id } });
		}
		const { token } = await createInvitation(db(), {
			kind: 'set_password',
			userId: created.value.id,
			createdBy: event.locals.user!.id,
			origin: { ip: event.getClientAddress() }
		});
		return {
			form: 'create',
			saved: true,
			message: `Account created for ${created.value.displayName}.`,
			link: invitationLink(event, token),
			linkFor: created.value.displayName,
			replacesPassword: false
		};
	},

	invite: async (event) => {
		requireRole(event, 'admin');
		const form = await readForm(event);
		if (!form) return fail(400, { form: 'row', message: UNREADABLE_FORM });
		const account = await accountFrom(form);
		if (!account) return fail(404, { form: 'row', message: 'We could not find that account.' });
		if (account.disabledAt) return fail(400, { form: 'row', message: `${account.displayName}’s account is disabled. Enable it first.` });
		const { token, purpose } = await createInvitation(db(), {
			kind: 'set_password',
			userId: account.id,
			createdBy: event.locals.user!.id,
			origin: { ip: event.getClientAddress() }
		});
		return {
			form: 'row',
			saved: true,
			message: `New sign-in link for ${account.displayName}.`,
			link: invitationLink(event, token),
			linkFor: account.displayName,
			replacesPassword: purpose === 'reset'
		};
	},

	disable: async (event) => {
		const admin = requireRole(event, 'admin');
		const form = await readForm(event);
		if (!form) return fail(400, { form: 'row', message: UNREADABLE_FORM });
		const account = await accountFrom(form);
		if (!account) return fail(404, { form: 'row', message: 'We could not find that account.' });
		if (account.id === admin.id) return fail(400, { form: 'row', message: 'You cannot disable your own account.' });
		if (account.role === 'admin' && !account.disabledAt && (await countActiveAdmins(db())) <= 1) {
			return fail(400, { form: 'row', message: 'This is the last administrator; add another before disabling it.' });
		}
		await setAccountDisabled(db(), account.id, true);
		await invalidateUserSessions(db(), account.id);
		announceAccessChange({ kind: 'user_signed_out', userId: account.id });
		await audit(event, { action: 'account.disabled', targetType: 'user', targetId: account.id });
		return { form: 'row', saved: true, message: `${account.displayName}’s account is disabled and they have been signed out everywhere.` };
	},

	enable: async (event) => {
		requireRole(event, 'admin');
		const form = await readForm(event);
		if (!form) return fail(400, { form: 'row', message: UNREADABLE_FORM });
		const account = await accountFrom(form);
		if (!account) return fail(404, { form: 'row', message: 'We could not find that account.' });
		await setAccountDisabled(db(), account.id, false);
		await audit(event, { action: 'account.enabled', targetType: 'user', targetId: account.id });
		return { form: 'row', saved: true, message: `${account.displayName} can sign in again.` };
	}
};
