import type { PlanRecord } from '../commands/plan-record.ts';
import { agreementOf } from '../../src/lib/shared/agreement.ts';
import { formatDate, formatDay } from '../../src/lib/shared/dates.ts';
import { m } from '../../src/lib/paraglide/messages.js';
import { GOAL_STATUS_LABELS, PLAN_SECTIONS, stepOwnerLabels, type StepOwner, type StepReader } from '../../src/lib/shared/plan-sections.ts';
import type { OutlineBlock, OutlinedGoal } from '../../src/lib/shared/plan-text.ts';
import { PLAN_STATUS_LABELS } from '../../src/lib/shared/roles.ts';
import { versionName } from '../../src/lib/shared/version-names.ts';
import type { PlanVersionWithSignOffs } from '../../db/plan-versions.ts';
import { artifact, mm, pdfBytes, startPdf } from './pdf-document.ts';

/** What a plan PDF needs besides the record: when it is made, and who reads it (for "who does it"). */
export interface PlanPdfOptions {
	printedAt: Date;
	reader: StepReader;
}

const MARGIN = mm(20);
const SIZE = { title: 20, subtitle: 12, section: 15, goal: 11.5, body: 11, small: 9 } as const;
const INDENT = 16;

type Doc = PDFKit.PDFDocument;
type Struct = PDFKit.PDFStructureElement;

/** Room left on the page below the cursor. */
const roomLeft = (doc: Doc): number => doc.page.height - doc.page.margins.bottom - doc.y;

/** A new page unless `height` fits below the cursor (so a heading never ends a page without its first lines). */
function keepTogether(doc: Doc, height: number): void {
	if (roomLeft(doc) < height) doc.addPage();
}

function line(
	doc: Doc,
	parent: Struct,
	text: string,
	options: { font?: 'regular' | 'bold'; size?: number; type?: string; indent?: number; gap?: number } = {}
): void {
	const size = options.size ?? SIZE.body;
	const indent = options.indent ?? 0;
	doc.font(options.font ?? 'regular').fontSize(size);
	doc.text(text, MARGIN + indent, doc.y, { width: doc.page.width - 2 * MARGIN - indent, structParent: parent, structType: options.type ?? 'P', lineGap: 2 });
	doc.moveDown(options.gap ?? 0.3);
}

function heading(doc: Doc, parent: Struct, text: string, type: 'H1' | 'H2' | 'H3', size: number, firstLines: number): void {
	doc.font('bold').fontSize(size);
	const height = doc.heightOfString(text, { width: doc.page.width - 2 * MARGIN });
	keepTogether(doc, height + firstLines * (SIZE.body + 4));
	if (type !== 'H1') doc.moveDown(0.4);
	line(doc, parent, text, { font: 'bold', size, type, gap: 0.35 });
}

/** A section's rich text: headings, paragraphs, and list items indented by depth (tagged as L/LI). */
function blocks(doc: Doc, section: Struct, outline: OutlineBlock[]): void {
	let list: Struct | null = null;
	for (const block of outline) {
		if (block.kind !== 'item') {
			list?.end();
			list = null;
			if (block.kind === 'heading') heading(doc, section, block.text, 'H3', SIZE.goal, 2);
			else line(doc, section, block.text, { indent: block.depth * INDENT });
			continue;
		}
		if (!list) {
			list = doc.struct('L');
			section.add(list);
		}
		const mark = block.checked === null ? '•' : block.checked ? '☑' : '☐';
		line(doc, list, `${mark} ${block.text.trim()}`, { type: 'LI', indent: block.depth * INDENT + 6, gap: 0.15 });
	}
	list?.end();
	if (list) doc.moveDown(0.3);
}

function goal(doc: Doc, section: Struct, goal: OutlinedGoal, who: Readonly<Record<StepOwner, string>>): void {
	heading(doc, section, m.pdf_goal({ text: goal.text }), 'H3', SIZE.goal, 2);
	const facts = [
		goal.status ? m.pdf_goal_status({ status: GOAL_STATUS_LABELS[goal.status] }) : null,
		goal.targetDate ? m.pdf_goal_target({ date: formatDate(goal.targetDate) }) : null
	];
	if (facts.some(Boolean)) line(doc, section, facts.filter(Boolean).join(' · '), { size: SIZE.small + 1, gap: 0.2 });
	if (goal.steps.length === 0) return;
	const steps = doc.struct('L');
	section.add(steps);
	for (const step of goal.steps) {
		const details = [
			step.who ? m.pdf_step_who({ who: who[step.who] }) : null,
			step.byWhen ? m.pdf_step_by({ date: formatDate(step.byWhen) }) : null,
			step.done ? m.pdf_step_done() : null
		]
			.filter(Boolean)
			.join(' · ');
		line(doc, steps, `${step.done ? '☑' : '☐'} ${step.what}${details ? ` (${details})` : ''}`, { type: 'LI', indent: INDENT, gap: 0.15 });
	}
	steps.end();
	doc.moveDown(0.3);
}

/** Who said what about a version, one line each: "Sam Taylor agreed on 3 December 2026". */
function agreementLines(version: PlanVersionWithSignOffs, serviceUserId: string): string[] {
	const agreement = agreementOf(version.signOffs, serviceUserId);
	const answers = [agreement.serviceUser, ...agreement.professionals].filter((answer) => answer !== null);
	const status = { agreed: m.pdf_agreement_agreed, disagreed: m.pdf_agreement_disagreed, waiting: m.pdf_agreement_waiting }[agreement.status]();
	return [
		status,
		...answers.map((answer) =>
			answer.decision === 'agree'
				? m.pdf_answer_agreed({ name: answer.name, date: formatDay(answer.at) })
				: m.pdf_answer_disagreed({ name: answer.name, date: formatDay(answer.at) })
		)
	];
}

/** The status, and which version this is and who agreed to it (or, for the plan now, its last agreed version). */
function standing(doc: Doc, parent: Struct, record: PlanRecord): void {
	const person = record.plan.serviceUser.id;
	line(doc, parent, m.pdf_status({ status: PLAN_STATUS_LABELS[record.plan.status] }), { gap: 0.15 });
	if (record.plan.reviewDate) line(doc, parent, m.pdf_review_date({ date: formatDate(record.plan.reviewDate) }), { gap: 0.15 });
	const shown = record.version ?? record.versions.find((version) => agreementOf(version.signOffs, person).status === 'agreed') ?? null;
	if (record.version)
		line(doc, parent, m.pdf_version_copy({ name: versionName(record.version), date: formatDay(record.version.createdAt), by: record.version.createdByName }), {
			gap: 0.15
		});
	else line(doc, parent, shown ? m.pdf_now_copy_last_agreed({ name: versionName(shown) }) : m.pdf_now_copy(), { gap: 0.15 });
	if (shown) for (const text of agreementLines(shown, person)) line(doc, parent, text, { size: SIZE.small + 1, indent: INDENT, gap: 0.1 });
	doc.moveDown(0.5);
}

/** Page numbers on every page, drawn once all pages exist; artifacts, so they are not read as the plan's words. */
function pageNumbers(doc: Doc): void {
	const range = doc.bufferedPageRange();
	for (let index = range.start; index < range.start + range.count; index++) {
		doc.switchToPage(index);
		const bottom = doc.page.margins.bottom;
		doc.page.margins.bottom = 0;
		artifact(doc, () => {
			doc.font('regular').fontSize(SIZE.small);
			doc.text(m.pdf_page({ page: index + 1, pages: range.count }), MARGIN, doc.page.height - mm(12), {
				width: doc.page.width - 2 * MARGIN,
				align: 'center',
				lineBreak: false
			});
		});
		doc.page.margins.bottom = bottom;
	}
}

/**
 * The plan as a PDF in the reader's language (as it is now, or the saved version the record holds): title, whose
 * plan, when printed, review date, status and agreement, every section with its words and goals, and the care
 * team. Tagged (headings, paragraphs, lists) with its language and title, fonts embedded; pure over the record.
 */
export function planPdf(record: PlanRecord, options: PlanPdfOptions): Promise<Uint8Array> {
	const { doc, root } = startPdf(record.plan.title, { margin: MARGIN, bufferPages: true });
	const who = stepOwnerLabels(options.reader, record.plan.serviceUser.displayName);
	heading(doc, root, record.plan.title, 'H1', SIZE.title, 3);
	line(doc, root, m.pdf_person_plan({ person: record.plan.serviceUser.displayName }), { size: SIZE.subtitle, gap: 0.15 });
	line(doc, root, m.pdf_printed_on({ date: formatDay(options.printedAt) }), { gap: 0.6 });
	standing(doc, root, record);
	for (const section of record.outline.sections) {
		const part = doc.struct('Sect');
		root.add(part);
		heading(doc, part, PLAN_SECTIONS.find((known) => known.id === section.id)?.title ?? section.id, 'H2', SIZE.section, 2);
		if (section.blocks.length === 0 && section.goals.length === 0) line(doc, part, m.pdf_nothing_written(), { size: SIZE.small + 1 });
		blocks(doc, part, section.blocks);
		for (const outlined of section.goals) goal(doc, part, outlined, who);
		part.end();
	}
	const team = doc.struct('Sect');
	root.add(team);
	heading(doc, team, m.pdf_care_team(), 'H2', SIZE.section, 2);
	if (record.careTeam.length === 0) line(doc, team, m.pdf_care_team_none());
	for (const member of record.careTeam) line(doc, team, member.displayName, { gap: 0.1 });
	team.end();
	pageNumbers(doc);
	return pdfBytes(doc, root);
}
