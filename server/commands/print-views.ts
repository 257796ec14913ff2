import type { SignOffRecord } from '../../db/plan-versions.ts';
import type { PlanSummary } from '../../db/plans.ts';
import { agreementOf } from '../../src/lib/shared/agreement.ts';
import type { CrisisContactView } from '../../src/lib/shared/crisis-contact.ts';
import { done, type Outcome } from '../../src/lib/shared/outcome.ts';
import type { StepReader } from '../../src/lib/shared/plan-sections.ts';
import type { OutlineBlock, PlanOutline } from '../../src/lib/shared/plan-text.ts';
import type { VersionNaming } from '../../src/lib/shared/version-names.ts';
import { auditAs, type CommandContext } from './actor.ts';
import { openPlanRecord, stepReaderOf, type PlanRecord, type PlanRecordCode, type RecordPerson } from './plan-record.ts';

/** A saved version as a printed copy names it, with every answer to it (each person's latest one counts). */
export interface PrintedVersion extends VersionNaming {
	id: string;
	seq: number;
	signOffs: SignOffRecord[];
}

/** What the print view shows: codes and the people's own words, said in the reader's language by the page. */
export interface PrintedPlan {
	plan: Pick<PlanSummary, 'id' | 'title' | 'reviewDate' | 'serviceUser' | 'team'>;
	/** Whose words "who does it" is said in (stepOwnerLabels). */
	reader: StepReader;
	outline: PlanOutline;
	careTeam: RecordPerson[];
	/** The saved version printed, or null for the plan as it is now. */
	version: PrintedVersion | null;
	/** For the plan as it is now: its newest agreed version, and whether the plan changed after it. */
	lastAgreed: (PrintedVersion & { changedSince: boolean }) | null;
	crisisContact: CrisisContactView | null;
	printedAt: Date;
}

/** A crisis card: the person's own words of "If things get difficult", and who to contact. */
export interface CrisisCard {
	plan: PrintedPlan['plan'];
	crisis: OutlineBlock[];
	crisisContact: CrisisContactView | null;
	layout: CrisisCardLayout;
	printedAt: Date;
}

/** How a crisis card is laid out: one A4 page, or a card folded to the size of a bank card. */
export type CrisisCardLayout = 'page' | 'wallet';

const printedVersion = (version: NonNullable<PlanRecord['version']>): PrintedVersion => ({
	id: version.id,
	seq: version.seq,
	kind: version.kind,
	name: version.name,
	createdAt: version.createdAt,
	signOffs: version.signOffs
});

const contactOf = (contact: PlanRecord['crisisContact']): CrisisContactView | null =>
	contact && { name: contact.name, phone: contact.phone, hours: contact.hours, note: contact.note };

function printedPlan(record: PlanRecord, reader: StepReader): PrintedPlan {
	const { plan } = record;
	const agreed = record.version ? undefined : record.versions.find((version) => agreementOf(version.signOffs, plan.serviceUser.id).status === 'agreed');
	return {
		plan: { id: plan.id, title: plan.title, reviewDate: plan.reviewDate, serviceUser: plan.serviceUser, team: plan.team },
		reader,
		outline: record.outline,
		careTeam: record.careTeam,
		version: record.version && printedVersion(record.version),
		lastAgreed: agreed ? { ...printedVersion(agreed), changedSince: agreed.seq < record.seq } : null,
		crisisContact: contactOf(record.crisisContact),
		printedAt: new Date()
	};
}

/**
 * The plan as it is now, or a saved version of it, for printing in the browser; every print view is recorded as a
 * copy made (`plan.exported`, format `print`), since what is printed leaves Chorus just like a download.
 */
export async function openPrintView(context: CommandContext, planId: string, versionId: string | null): Promise<Outcome<PrintedPlan, PlanRecordCode>> {
	const opened = await openPlanRecord(context, planId, versionId);
	if (!opened.ok) return opened;
	const { record, opened: access } = opened.value;
	const detail = record.version ? { format: 'print', version: record.version.id } : { format: 'print' };
	await auditAs(context, { action: 'plan.exported', targetType: 'plan', targetId: record.plan.id, detail });
	return done(printedPlan(record, stepReaderOf(access)));
}

/** The layout asked for: `wallet` folds, anything else is the one-page card. */
export function crisisCardLayout(asked: string | null): CrisisCardLayout {
	return asked === 'wallet' ? 'wallet' : 'page';
}

/**
 * The plan as it is now for its crisis card ("If things get difficult", in the person's words, and who to contact);
 * recorded as a copy made (`plan.exported`, format `crisis-card`, with the layout).
 */
export async function openCrisisCard(context: CommandContext, planId: string, layout: CrisisCardLayout): Promise<Outcome<CrisisCard, PlanRecordCode>> {
	const opened = await openPlanRecord(context, planId, null);
	if (!opened.ok) return opened;
	const { record } = opened.value;
	await auditAs(context, { action: 'plan.exported', targetType: 'plan', targetId: record.plan.id, detail: { format: 'crisis-card', layout } });
	const { plan } = printedPlan(record, stepReaderOf(opened.value.opened));
	return done({
		plan,
		crisis: record.outline.sections.find((section) => section.id === 'crisis')?.blocks ?? [],
		crisisContact: contactOf(record.crisisContact),
		layout,
		printedAt: new Date()
	});
}
