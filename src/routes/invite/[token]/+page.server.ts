import { error, fail, redirect } from '@sveltejs/kit';
import { createAccount, findAccountByUsername, setAccountPassword } from '$db/accounts';
import { recordAuditEvent } from '$db/audit';
import { lookUpInvitation, redeemInvitation } from '$db/invitations';
import { hashPassword } from '$db/password';
import { createSession, generateSessionToken } from '$db/session';
import { checkDisplayName, checkNewPassword, checkUsername } from '$lib/shared/validation';
import { db } from '$lib/server/db';
import { readForm, UNREADABLE_FORM } from '$lib/server/forms';
import { setSessionCookie } from '$lib/server/session-cookie';
import type { Actions, PageServerLoad } from './$types';

const GONE: Record<'used' | 'expired' | 'unknown', string> = {
	used: 'This link has already been used. Each link works once. If you need a new one, ask your care team or administrator.',
	expired: 'This link has expired. Please ask your care team or administrator for a new one.',
	unknown: 'This link is not valid. Please check that you copied all of it, or ask for a new one.'
};

export const load: PageServerLoad = async ({ params }) => {
	const found = await lookUpInvitation(db(), params.token);
	if (found.status !== 'valid') error(found.status === 'unknown' ? 404 : 410, { message: GONE[found.status] });
	return { kind: found.invitation.kind, person: found.user ? { displayName: found.user.displayName, username: found.user.username } : null };
};

export const actions: Actions = {
	default: async (event) => {
		const found = await lookUpInvitation(db(), event.params.token);
		if (found.status !== 'valid') return fail(410, { message: GONE[found.status] });
		const form = await readForm(event);
		if (!form) return fail(400, { message: UNREADABLE_FORM });
		const firstAdmin = found.invitation.kind === 'first_admin';

		const username = firstAdmin ? checkUsername(form.get('username')) : { ok: true as const, value: found.user!.username };
		if (!username.ok) return fail(400, { message: username.message });
		const displayName = firstAdmin ? checkDisplayName(form.get('displayName')) : { ok: true as const, value: found.user!.displayName };
		if (!displayName.ok) return fail(400, { message: displayName.message });
		const password = checkNewPassword(form.get('password'), username.value);
		if (!password.ok) return fail(400, { message: password.message });
		if (form.get('confirm') !== password.value) return fail(400, { message: 'The two passwords are not the same. Please type them again.' });

		if (firstAdmin && (await findAccountByUsername(db(), username.value))) {
			return fail(400, { message: 'That username is already taken. Please choose another.' });
		}
		const passwordHash = await hashPassword(password.value);
		let userId: string | null = found.user?.id ?? null;
		const redeemed = await redeemInvitation(db(), event.params.token, async (tx) => {
			if (firstAdmin) {
				const created = await createAccount(tx, {
					username: username.value,
					displayName: displayName.value,
					role: 'admin',
					discipline: null,
					passwordHash
				});
				// Checked just above; losing a race here rolls the whole redemption back.
				if (!created.ok) throw new Error('The username was taken while the first administrator was being created.');
				userId = created.value.id;
			} else {
				await setAccountPassword(tx, userId!, passwordHash);
			}
			await recordAuditEvent(tx, {
				actorId: userId,
				action: firstAdmin ? 'account.created' : 'account.password_set',
				targetType: 'user',
				targetId: userId,
				ip: event.getClientAddress(),
				detail: { via: 'invitation' }
			});
		});
		if (!redeemed || !userId) return fail(410, { message: GONE.used });

		const token = generateSessionToken();
		const session = await createSession(db(), token, userId, { ip: event.getClientAddress(), userAgent: event.request.headers.get('user-agent') });
		await recordAuditEvent(db(), { actorId: userId, action: 'sign_in', targetType: 'user', targetId: userId, ip: event.getClientAddress(), detail: { via: 'invitation' } });
		setSessionCookie(event, token, session.expiresAt);
		redirect(303, '/');
	}
};
