import { listPlanVersions, type PlanVersionWithSignOffs } from '$db/plan-versions';
import { agreementOf, versionStandings, type Agreement, type VersionStanding } from '$lib/shared/agreement';
import { versionName } from '$lib/shared/version-names';
import { db } from '../db';
import { changedSince } from './documents';

export interface NamedVersion extends PlanVersionWithSignOffs {
	/** The name as the reader sees it, in their language (versionName): what pages show. */
	name: string;
	/** The name as stored: someone's own words, or null when nobody named it (the API gives this, with `kind`). */
	storedName: string | null;
	agreement: Agreement;
	/** Among the plan's versions: only the newest can still be agreed (versionStandings). */
	standing: VersionStanding;
}

/** A plan's named versions, newest first, each with where agreement stands. */
export async function loadVersions(planId: string, serviceUserId: string): Promise<NamedVersion[]> {
	const versions = (await listPlanVersions(db(), planId)).map((version) => ({
		...version,
		name: versionName(version),
		storedName: version.name,
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
