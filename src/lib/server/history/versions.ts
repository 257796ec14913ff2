import { createPlanVersion, listPlanVersions, type PlanVersionWithSignOffs, type VersionKind } from '$db/plan-versions';
import { agreementOf, type Agreement } from '$lib/shared/agreement';
import { getLivePlans } from '$lib/shared/live-plans';
import { db } from '../db';
import { changedSince } from './documents';

export interface NamedVersion extends PlanVersionWithSignOffs {
	agreement: Agreement;
}

/** A plan's named versions, newest first, each with where agreement stands. */
export async function loadVersions(planId: string, serviceUserId: string): Promise<NamedVersion[]> {
	const versions = await listPlanVersions(db(), planId);
	return versions.map((version) => ({ ...version, agreement: agreementOf(version.signOffs, serviceUserId) }));
}

/** Pins the plan as it is now (every change already applied is committed first). */
export async function pinVersion(planId: string, createdBy: string, kind: VersionKind, name: string) {
	const seq = await getLivePlans().committedSeq(planId);
	return createPlanVersion(db(), { planId, seq, kind, name, createdBy });
}

export interface AgreedState {
	version: NamedVersion;
	/** Whether the plan's words, goals or steps differ from the agreed version now. */
	changedSince: boolean;
}

/** The newest agreed version and whether the plan has changed since. */
export async function lastAgreed(planId: string, versions: NamedVersion[]): Promise<AgreedState | null> {
	const version = versions.find((candidate) => candidate.agreement.status === 'agreed');
	if (!version) return null;
	return { version, changedSince: await changedSince(planId, version.seq) };
}
