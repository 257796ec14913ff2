import { listPlanVersions, type PlanVersionWithSignOffs } from '$db/plan-versions';
import { agreementOf, type Agreement } from '$lib/shared/agreement';
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
