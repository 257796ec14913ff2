import { m } from '../paraglide/messages.js';
import { translated } from './locale.ts';
import { PLAN_STATUS_LABELS } from './roles.ts';

/** One person's answer to "do you agree with this version?". */
export interface SignOffAnswer {
	userId: string;
	name: string;
	role: string;
	decision: 'agree' | 'disagree';
	reason: string | null;
	at: Date;
}

export interface Agreement {
	/** `agreed`: the person whose plan it is and at least one professional agree. */
	status: 'agreed' | 'disagreed' | 'waiting';
	/** The person whose plan it is: their latest answer, if any. */
	serviceUser: SignOffAnswer | null;
	/** Each professional's latest answer. */
	professionals: SignOffAnswer[];
}

/** Where agreement on a version stands; each person's latest answer counts. */
export function agreementOf(signOffs: readonly SignOffAnswer[], serviceUserId: string): Agreement {
	const latest = new Map<string, SignOffAnswer>();
	for (const signOff of [...signOffs].sort((a, b) => a.at.getTime() - b.at.getTime())) latest.set(signOff.userId, signOff);
	const serviceUser = latest.get(serviceUserId) ?? null;
	const professionals = [...latest.values()].filter((answer) => answer.role === 'professional');
	const status =
		serviceUser?.decision === 'disagree'
			? 'disagreed'
			: serviceUser?.decision === 'agree' && professionals.some((answer) => answer.decision === 'agree')
				? 'agreed'
				: 'waiting';
	return { status, serviceUser, professionals };
}

/**
 * Where a version stands among the plan's versions. Only the newest version can still be agreed: `waiting` when it
 * was put forward for agreement or someone has answered, `open` when it was only saved; an older version that both
 * sides had not agreed is `replaced` (a newer one took its place, and it asks nobody for anything any more).
 */
export type VersionStanding = 'agreed' | 'disagreed' | 'waiting' | 'open' | 'replaced';

/** The standing of each version, given all of a plan's versions newest first. */
export function versionStandings(versions: readonly { kind: string; agreement: Agreement }[]): VersionStanding[] {
	return versions.map(({ kind, agreement }, index) => {
		if (agreement.status === 'agreed') return 'agreed';
		if (index > 0) return 'replaced';
		if (agreement.status === 'disagreed') return 'disagreed';
		const answered = agreement.serviceUser !== null || agreement.professionals.length > 0;
		return kind === 'agreement' || answered ? 'waiting' : 'open';
	});
}

/** What a plan's header says about it: its status as set, unless agreement says more. */
export type ShownPlanStatus = 'closed' | 'waiting-for-agreement' | 'agreed' | 'changed-since-agreed' | 'draft' | 'active';

/** The header's words for each shown status, in the reader's language. */
export const SHOWN_PLAN_STATUS_LABELS = translated<ShownPlanStatus>({
	closed: () => PLAN_STATUS_LABELS.closed,
	draft: () => PLAN_STATUS_LABELS.draft,
	active: () => PLAN_STATUS_LABELS.active,
	'waiting-for-agreement': m.agreement_status_waiting,
	agreed: m.agreement_status_agreed,
	'changed-since-agreed': m.agreement_status_changed_since
});

/**
 * The status a plan's header shows, truthful about agreement: a closed plan is closed; a newest version waiting for
 * answers says so; a plan whose newest agreed version is its content now is agreed, and "changed since agreed" once
 * someone changes it; otherwise the status as set (being written, in use).
 */
export function shownPlanStatus(
	status: 'draft' | 'active' | 'closed',
	newest: VersionStanding | null,
	agreed: { changedSince: boolean } | null
): ShownPlanStatus {
	if (status === 'closed') return 'closed';
	if (newest === 'waiting') return 'waiting-for-agreement';
	if (agreed) return agreed.changedSince ? 'changed-since-agreed' : 'agreed';
	return status;
}
