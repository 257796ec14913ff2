import { todayIso } from '../../src/lib/shared/dates.ts';
import { done, refused, type Outcome } from '../../src/lib/shared/outcome.ts';
import { CRISIS_CARD_LAYOUTS, crisisCardPdf, type CrisisCardLayout } from '../exports/crisis-card-pdf.ts';
import { planPdf } from '../exports/plan-pdf.ts';
import { auditAs, type CommandContext } from './actor.ts';
import { openPlanRecord, stepReaderOf, type PlanRecordCode } from './plan-record.ts';

/** A PDF made for someone: its bytes, the day it was made (for the file name) and the plan's title. */
export interface PdfCopy {
	bytes: Uint8Array;
	day: string;
	title: string;
}

/**
 * The plan as a PDF, as it is now or (with `versionId`) as a saved version was, for anyone who may read the plan;
 * every copy is recorded (`plan.exported`, format `pdf`).
 */
export async function exportPlanPdf(context: CommandContext, planId: string, versionId: string | null): Promise<Outcome<PdfCopy, PlanRecordCode>> {
	const opened = await openPlanRecord(context, planId, versionId);
	if (!opened.ok) return opened;
	const { record } = opened.value;
	const printedAt = new Date();
	const bytes = await planPdf(record, { printedAt, reader: stepReaderOf(opened.value.opened) });
	await auditAs(context, {
		action: 'plan.exported',
		targetType: 'plan',
		targetId: record.plan.id,
		detail: record.version ? { format: 'pdf', version: record.version.id } : { format: 'pdf' }
	});
	return done({ bytes, day: todayIso(printedAt), title: record.plan.title });
}

export type CrisisCardCode = PlanRecordCode | 'crisis-card-layout-invalid';

/**
 * The plan's crisis card as a PDF (`page`: one A4 page, `wallet`: a card to cut out and fold), from the plan as it
 * is now; every copy is recorded (`plan.exported`, format `crisis-card-pdf`).
 */
export async function exportCrisisCardPdf(context: CommandContext, planId: string, layout: string): Promise<Outcome<PdfCopy, CrisisCardCode>> {
	const opened = await openPlanRecord(context, planId, null);
	if (!opened.ok) return opened;
	if (!CRISIS_CARD_LAYOUTS.includes(layout as CrisisCardLayout)) return refused('crisis-card-layout-invalid');
	const { record } = opened.value;
	const printedAt = new Date();
	const bytes = await crisisCardPdf(record, { layout: layout as CrisisCardLayout, printedAt });
	await auditAs(context, { action: 'plan.exported', targetType: 'plan', targetId: record.plan.id, detail: { format: 'crisis-card-pdf', layout } });
	return done({ bytes, day: todayIso(printedAt), title: record.plan.title });
}
