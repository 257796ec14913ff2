import { createPlanVersion, findPlanVersion, recordSignOff, type VersionKind } from '../../db/plan-versions.ts';
import type { PlanVersion } from '../../db/schema/index.ts';
import type { Database } from '../../db/types.ts';
import { getLivePlans } from '../../src/lib/shared/live-plans.ts';
import { done, refused, type Outcome } from '../../src/lib/shared/outcome.ts';
import { isUuid } from '../../src/lib/shared/validation.ts';
import { versionName } from '../../src/lib/shared/version-names.ts';
import { listCareTeam } from '../../db/plans.ts';
import { auditAs, type CommandContext } from './actor.ts';
import { once } from './once.ts';
import { notify } from './notifications.ts';
import { mayChange, openPlanToChange, type OpenPlan, type PlanAccessCode } from './plan-access.ts';

export const VERSION_NAME_MAX = 120;
export const SIGN_OFF_REASON_MAX = 2000;

const PLAN_PEOPLE = { may: mayChange, refusal: 'versions-plan-people-only' } as const;

/**
 * Pins the plan as it is now under a name, or none (null: it is called by its kind and day where it is shown, in the
 * reader's language); every change already applied is committed first. Used by saving, agreeing and ending an
 * appointment; each records its own audit event.
 */
export async function pinVersion(db: Database, planId: string, createdBy: string, kind: VersionKind, name: string | null): Promise<PlanVersion> {
	const seq = await getLivePlans().committedSeq(planId);
	return createPlanVersion(db, { planId, seq, kind, name, createdBy });
}

/** The name as sent (none when left empty); null when what was sent could not be read. */
export type VersionNameInput = { name: unknown } | null;

export type VersionCode = PlanAccessCode | 'versions-plan-people-only' | 'form-unreadable' | 'version-name-too-long';

async function openToName(
	context: CommandContext,
	planId: string,
	input: VersionNameInput
): Promise<Outcome<{ opened: OpenPlan; name: string | null }, VersionCode>> {
	const opened = await openPlanToChange(context, planId, PLAN_PEOPLE);
	if (!opened.ok) return opened;
	if (!input) return refused('form-unreadable');
	const name = typeof input.name === 'string' ? input.name.trim() : '';
	if (name.length > VERSION_NAME_MAX) return refused('version-name-too-long', { max: VERSION_NAME_MAX });
	return done({ opened: opened.value, name: name || null });
}

type Pinned<C extends string> = Outcome<{ code: C; params: { name: string }; version: PlanVersion }, VersionCode>;

/** "Save a version": pins the plan as it is now under a name. The person whose plan it is and its care team do this. */
export function saveVersion(context: CommandContext, planId: string, input: VersionNameInput): Promise<Pinned<'version-saved'>> {
	return once(context, `version.save:${planId}`, async (context) => {
		const named = await openToName(context, planId, input);
		if (!named.ok) return named;
		const { opened, name } = named.value;
		const version = await pinVersion(context.db, planId, opened.user.id, 'manual', name);
		await auditAs(context, {
			action: 'version.created',
			targetType: 'plan',
			targetId: planId,
			detail: { versionId: version.id, seq: version.seq, kind: 'manual' }
		});
		return done({ code: 'version-saved' as const, params: { name: versionName(version) }, version });
	});
}

/**
 * "Mark as agreed": pins the plan as it is now and records the proposer's own agreement. It becomes agreed once
 * both sides agree (src/lib/shared/agreement.ts).
 */
export async function proposeAgreement(context: CommandContext, planId: string, input: VersionNameInput): Promise<Pinned<'version-agreement-proposed'>> {
	const proposed = await once(context, `version.agree:${planId}`, async (context) => {
		const named = await openToName(context, planId, input);
		if (!named.ok) return named;
		const { opened, name } = named.value;
		const version = await pinVersion(context.db, planId, opened.user.id, 'agreement', name);
		await recordSignOff(context.db, { versionId: version.id, userId: opened.user.id, decision: 'agree', reason: null });
		await auditAs(context, {
			action: 'version.created',
			targetType: 'plan',
			targetId: planId,
			detail: { versionId: version.id, seq: version.seq, kind: 'agreement' }
		});
		await auditAs(context, { action: 'version.signed_off', targetType: 'plan', targetId: planId, detail: { versionId: version.id, decision: 'agree' } });
		await askTheOtherSide(context, opened, version);
		return done({ code: 'version-agreement-proposed' as const, params: { name: versionName(version) }, version });
	});
	// Measured again once the agreement is committed.
	if (proposed.ok) getLivePlans().involvementChanged(planId);
	return proposed;
}

/**
 * Asks the other side to agree: the person whose plan it is when a professional proposes, the care team's
 * professionals when the person does.
 */
async function askTheOtherSide(context: CommandContext, opened: OpenPlan, version: PlanVersion): Promise<void> {
	const { user, plan } = opened;
	const recipients = user.id === plan.serviceUser.id ? (await listCareTeam(context.db, plan.id)).map((member) => member.id) : [plan.serviceUser.id];
	// The name someone gave it, if any, and its day: the words are chosen where the notification is read.
	const params: Record<string, string> = { versionId: version.id, at: version.createdAt.toISOString() };
	if (version.name !== null) params.name = version.name;
	await notify(context, recipients, { kind: 'agreement-requested', planId: plan.id, params });
}

/** One person's answer to a version as sent; null when what was sent could not be read. */
export type SignOffInput = { version: unknown; decision: unknown; reason?: unknown } | null;

export type SignOffCode =
	| PlanAccessCode
	| 'versions-plan-people-only'
	| 'form-unreadable'
	| 'version-missing'
	| 'version-not-found'
	| 'sign-off-decision-missing'
	| 'sign-off-disagree-owner-only'
	| 'sign-off-reason-missing'
	| 'sign-off-reason-too-long';

/**
 * One person's answer to a version: agree, or (only the person whose plan it is) do not agree, with a reason in
 * their own words. Each person's latest answer counts. Pages ask only about the newest version (versionStandings);
 * an answer to an older one, from a page open since before it was replaced, is still a true answer and is kept.
 */
export async function signOffVersion(
	context: CommandContext,
	planId: string,
	input: SignOffInput
): Promise<Outcome<{ code: 'sign-off-agreed' | 'sign-off-disagreed'; params: { name: string } }, SignOffCode>> {
	const scope = `version.sign-off:${String(input?.version)}:${String(input?.decision)}`;
	const answered = await once(context, scope, async (context) => {
		const opened = await openPlanToChange(context, planId, PLAN_PEOPLE);
		if (!opened.ok) return opened;
		if (!input) return refused('form-unreadable');
		const { user, plan } = opened.value;
		if (!isUuid(input.version)) return refused('version-missing');
		const version = await findPlanVersion(context.db, planId, input.version);
		if (!version) return refused('version-not-found');
		const decision = input.decision;
		if (decision !== 'agree' && decision !== 'disagree') return refused('sign-off-decision-missing');
		let reason: string | null = null;
		if (decision === 'disagree') {
			if (user.id !== plan.serviceUser.id) return refused('sign-off-disagree-owner-only');
			reason = typeof input.reason === 'string' ? input.reason.trim() : '';
			if (reason === '') return refused('sign-off-reason-missing');
			if (reason.length > SIGN_OFF_REASON_MAX) return refused('sign-off-reason-too-long', { max: SIGN_OFF_REASON_MAX });
		}
		await recordSignOff(context.db, { versionId: version.id, userId: user.id, decision, reason });
		await auditAs(context, { action: 'version.signed_off', targetType: 'plan', targetId: planId, detail: { versionId: version.id, decision } });
		return done({ code: decision === 'agree' ? ('sign-off-agreed' as const) : ('sign-off-disagreed' as const), params: { name: versionName(version) } });
	});
	if (answered.ok) getLivePlans().involvementChanged(planId);
	return answered;
}
