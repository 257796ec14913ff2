import { listPlanVersions, type PlanVersionWithSignOffs } from '$db/plan-versions';
import { agreementOf, versionStandings, type Agreement, type VersionStanding } from '$lib/shared/agreement';
import { db } from '../db';
import { changedSince } from './documents';

export interface NamedVersion extends PlanVersionWithSignOffs {
	agreement: Agreement;
	/** Among the plan's versions: only the newest can still be agreed (versionStandings). */
	standing: VersionStanding;
}

/**
 * Versions put forward for agreement used to be named "Plan agreed <date>" when left unnamed, even while only one side
 * had agreed. Versions are never changed once written (a trigger keeps them so), so the old default is shown for what
 * it is; whether it was agreed is shown beside it, from its answers.
 */
const OLD_AGREEMENT_NAME = /^Plan agreed (?=\d)/;

/** A plan's named versions, newest first, each with where agreement stands. */
export async function loadVersions(planId: string, serviceUserId: string): Promise<NamedVersion[]> {
	const versions = (await listPlanVersions(db(), planId)).map((version) => ({
		...version,
		name: version.kind === 'agreement' ? version.name.replace(OLD_AGREEMENT_NAME, 'Put forward for agreement ') : version.name,
		agreement: agreementOf(version.signOffs, serviceUserId)
	}));
	const standings = versionStandings(versions);
	return versions.map((version, index) => ({ ...version, standing: standings[index]! }));
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
