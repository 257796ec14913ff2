import { listPeopleByIds } from '../../db/accounts.ts';
import { findPlanCrisisContact } from '../../db/crisis-contacts.ts';
import { listFirstWrites, listPlanWriters } from '../../db/plan-history.ts';
import { loadPlanClients } from '../../db/plan-log.ts';
import { listPlanVersions, type PlanVersionWithSignOffs } from '../../db/plan-versions.ts';
import { listCareTeam, type CareTeamMember, type PlanSummary } from '../../db/plans.ts';
import type { TeamCrisisContact } from '../../db/schema/index.ts';
import { done, refused, type Outcome } from '../../src/lib/shared/outcome.ts';
import { storedPlanForExport } from '../../src/lib/shared/plan-replays.ts';
import type { StepReader } from '../../src/lib/shared/plan-sections.ts';
import type { PlanOutline } from '../../src/lib/shared/plan-text.ts';
import { isUuid } from '../../src/lib/shared/validation.ts';
import { runWork } from '../../src/lib/shared/work-pool.ts';
import type { CommandContext } from './actor.ts';
import { openPlanFor, type OpenPlan, type PlanAccessCode } from './plan-access.ts';
import { storedAt, storedNow } from './plan-documents.ts';

/** A person named in a copy of a plan: codes, not words (copies say them in the reader's language). */
export type RecordPerson = CareTeamMember;

/**
 * Everything a copy of a plan says, read once: the print view, the PDF, the crisis card and the FHIR bundle are
 * all made from this, so they always agree with each other and with the plan.
 */
export interface PlanRecord {
	plan: PlanSummary;
	/** The professionals on the care team now. */
	careTeam: RecordPerson[];
	/** The saved version copied, or null for the plan as it is now. */
	version: PlanVersionWithSignOffs | null;
	/** The last change the copy contains. */
	seq: number;
	outline: PlanOutline;
	/** Per goal id: characters of the goal's own words (not its steps) per person id ('unknown' for an unbound client). */
	goalWriters: Record<string, Record<string, number>>;
	/** Everyone who wrote in the plan up to `seq`, the person whose plan it is included when they did. */
	writers: RecordPerson[];
	/** The plan's versions up to `seq`, newest first, each with every sign-off. */
	versions: PlanVersionWithSignOffs[];
	/** Who to contact in a crisis, as the plan's team wrote it. */
	crisisContact: TeamCrisisContact | null;
	/**
	 * Per writer id: the seq of their first change, so each version's writers are known (the FHIR provenance of an
	 * agreed version names who had written by then). Left out, every writer counts for every version.
	 */
	firstWrites?: Record<string, number>;
}

export type PlanRecordCode = PlanAccessCode | 'version-not-found';

/**
 * The record of a plan for someone who may read it (exactly the plan's own access rules: its person, its care team,
 * the team's supervisors; never an administrator or the operator), as it is now or as a saved version was.
 * Not audited here: each kind of copy records itself.
 */
export async function openPlanRecord(
	context: CommandContext,
	planId: string,
	versionId: string | null
): Promise<Outcome<{ opened: OpenPlan; record: PlanRecord }, PlanRecordCode>> {
	const opened = await openPlanFor(context, planId);
	if (!opened.ok) return opened;
	const { db } = context;
	const { plan } = opened.value;
	const versions = await listPlanVersions(db, plan.id);
	let version: PlanVersionWithSignOffs | null = null;
	if (versionId !== null) {
		version = (isUuid(versionId) && versions.find((candidate) => candidate.id === versionId)) || null;
		if (!version) return refused('version-not-found');
	}
	const stored = version ? { updates: await storedAt(db, plan.id, version.seq), seq: version.seq } : await storedNow(db, plan.id);
	const [content, owners, writerIds, careTeam, crisisContact, firstWrites] = await Promise.all([
		runWork(storedPlanForExport, { updates: stored.updates }),
		loadPlanClients(db, plan.id),
		listPlanWriters(db, plan.id, stored.seq),
		listCareTeam(db, plan.id),
		findPlanCrisisContact(db, plan.id),
		listFirstWrites(db, plan.id)
	]);
	const goalWriters: PlanRecord['goalWriters'] = {};
	for (const [goalId, byClient] of Object.entries(content.goalWriters)) {
		const byPerson: Record<string, number> = {};
		for (const [client, chars] of byClient) {
			const person = owners.get(client) ?? 'unknown';
			byPerson[person] = (byPerson[person] ?? 0) + chars;
		}
		goalWriters[goalId] = byPerson;
	}
	const writers = (await listPeopleByIds(db, writerIds)).sort((a, b) => a.displayName.localeCompare(b.displayName) || a.id.localeCompare(b.id));
	return done({
		opened: opened.value,
		record: {
			plan,
			careTeam,
			version,
			seq: stored.seq,
			outline: content.outline,
			goalWriters,
			writers,
			versions: versions.filter((candidate) => candidate.seq <= stored.seq),
			crisisContact,
			firstWrites
		}
	});
}

/** Who reads the steps: the person whose plan it is, a professional who writes in it, or someone reading it. */
export function stepReaderOf(opened: OpenPlan): StepReader {
	if (opened.user.id === opened.plan.serviceUser.id) return 'owner';
	return opened.access === 'edit' && opened.user.role === 'professional' ? 'professional' : 'reader';
}
