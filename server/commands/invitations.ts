import { announceAccessChange } from '../../db/access-events.ts';
import {
	cancelOpenInvitations,
	createInvitation,
	dismissLinkNotices,
	lookUpInvitation,
	redeemInvitation,
	type InvitationLookup
} from '../../db/invitations.ts';
import { hashPassword } from '../../db/password.ts';
import type { Invitation } from '../../db/schema/index.ts';
import type { SessionUser } from '../../db/session.ts';
import type { Database } from '../../db/types.ts';
import { done, refused, type Outcome } from '../../src/lib/shared/outcome.ts';
import { checkDisplayName, checkNewPassword, checkUsername, type InvalidCode } from '../../src/lib/shared/validation.ts';
import { auditAs, originOf, type CommandContext } from './actor.ts';
import { isCareTeamProfessional, openPlanToChange, type PlanAccessCode } from './plan-access.ts';
import { once } from './once.ts';
import { withoutToken, type SignInLink } from './people.ts';
import type { SessionOrigin, StartedSession } from './sessions.ts';

/** Why a link cannot be used (any more). */
export type LinkGoneCode = 'link-used' | 'link-revoked' | 'link-replaced' | 'link-other-used' | 'link-cancelled' | 'link-expired' | 'link-unknown';

export type UsableLink = Extract<InvitationLookup, { status: 'valid' }>;

const GONE: Record<Exclude<InvitationLookup['status'], 'valid'>, LinkGoneCode> = {
	used: 'link-used',
	revoked: 'link-revoked',
	expired: 'link-expired',
	unknown: 'link-unknown'
};

/** Why a revoked link stopped working, as its page says it: replaced by a newer one, another one used, cancelled. */
const REVOKED: Record<NonNullable<Invitation['revokedReason']>, LinkGoneCode> = {
	replaced: 'link-replaced',
	other_link_used: 'link-other-used',
	cancelled: 'link-cancelled'
};

function goneCode(found: Exclude<InvitationLookup, { status: 'valid' }>): LinkGoneCode {
	return found.status === 'revoked' && found.revokedReason ? REVOKED[found.revokedReason] : GONE[found.status];
}

/**
 * The link a token names, if it can still be used by whoever is signed in in this browser. Someone signed in to
 * another account must not use a link for this one: it stops a worker or an administrator from casually using, at
 * their own desk, a link they made for somebody else.
 */
export async function openLink(
	db: Database,
	token: string,
	signedIn: SessionUser | null
): Promise<Outcome<UsableLink, LinkGoneCode | 'link-for-someone-else'>> {
	const found = await lookUpInvitation(db, token);
	if (found.status !== 'valid') return refused(goneCode(found));
	if (signedIn && !(found.invitation.kind === 'set_password' && signedIn.id === found.invitation.userId)) {
		return refused('link-for-someone-else', { name: signedIn.displayName, kind: found.invitation.kind });
	}
	return done(found);
}

/** What a person types on a link's page: a password twice, and for the first administrator a username and name. */
export interface LinkAnswers {
	username: unknown;
	displayName: unknown;
	password: unknown;
	confirm: unknown;
}

/**
 * Uses a link: sets the password (creating the first administrator's account for that kind of link) and starts a
 * session. Exactly one use of a link wins; the account's other sessions end with the new password, live plans too.
 */
export async function useLink(
	db: Database,
	token: string,
	signedIn: SessionUser | null,
	answers: LinkAnswers,
	origin: SessionOrigin
): Promise<Outcome<StartedSession, LinkGoneCode | 'link-for-someone-else' | InvalidCode | 'passwords-differ' | 'username-taken'>> {
	const opened = await openLink(db, token, signedIn);
	if (!opened.ok) return opened;
	const link = opened.value;
	const firstAdmin = link.invitation.kind === 'first_admin';
	const username = firstAdmin ? checkUsername(answers.username) : done(link.user!.username);
	if (!username.ok) return username;
	const displayName = firstAdmin ? checkDisplayName(answers.displayName) : done(link.user!.displayName);
	if (!displayName.ok) return displayName;
	const password = checkNewPassword(answers.password, username.value);
	if (!password.ok) return password;
	if (answers.confirm !== password.value) return refused('passwords-differ');

	const redeemed = await redeemInvitation(db, token, {
		passwordHash: await hashPassword(password.value),
		client: origin,
		newAdmin: firstAdmin ? { username: username.value, displayName: displayName.value } : undefined
	});
	if (!redeemed.ok) {
		if (redeemed.error === 'username_taken') return refused('username-taken', { username: username.value });
		// Used, cancelled or replaced since it was looked up a moment ago.
		const now = await lookUpInvitation(db, token);
		return refused(now.status === 'valid' ? 'link-used' : goneCode(now));
	}
	if (!firstAdmin) announceAccessChange({ kind: 'user_signed_out', userId: redeemed.value.userId });
	return done({ token: redeemed.value.sessionToken, expiresAt: redeemed.value.session.expiresAt });
}

/**
 * A professional on the plan's care team makes a one-time sign-in link for the person whose plan it is (older links
 * stop working). Once per submitted form (once.ts).
 */
export function linkForPlanOwner(context: CommandContext, planId: string): Promise<Outcome<SignInLink, PlanAccessCode | 'care-team-only'>> {
	return once(
		context,
		`sign-in-link:plan:${planId}`,
		async (context) => {
			const opened = await openPlanToChange(context, planId, { may: isCareTeamProfessional, refusal: 'care-team-only' });
			if (!opened.ok) return opened;
			const { user, plan } = opened.value;
			const { token, invitation, purpose, replaced } = await createInvitation(context.db, {
				kind: 'set_password',
				userId: plan.serviceUser.id,
				createdBy: user.id,
				origin: { ...originOf(context.actor), detail: { planId: plan.id } }
			});
			return done({ token, expiresAt: invitation.expiresAt, purpose, replaced });
		},
		withoutToken
	);
}

/** The person cancels every open sign-in link for their own account. `cancelled` is 0 when none was open. */
export async function cancelMyLinks(context: CommandContext, user: SessionUser): Promise<{ cancelled: number }> {
	const cancelled = await cancelOpenInvitations(context.db, user.id);
	if (cancelled > 0) await auditAs(context, { action: 'invitation.cancelled', targetType: 'user', targetId: user.id, detail: { links: cancelled } });
	return { cancelled };
}

/** The person has read the notices about links for their account (they stay listed on the account page). */
export async function dismissMyLinkNotices(context: CommandContext, user: SessionUser, sessionId: string | null): Promise<{ dismissed: number }> {
	const dismissed = await dismissLinkNotices(context.db, user.id, sessionId);
	if (dismissed > 0) await auditAs(context, { action: 'invitation.notice_dismissed', targetType: 'user', targetId: user.id, detail: { links: dismissed } });
	return { dismissed };
}
