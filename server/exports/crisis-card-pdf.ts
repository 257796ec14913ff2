import type { PlanRecord } from '../commands/plan-record.ts';
import { formatDay } from '../../src/lib/shared/dates.ts';
import { m } from '../../src/lib/paraglide/messages.js';
import { PLAN_SECTIONS } from '../../src/lib/shared/plan-sections.ts';
import { artifact, mm, pdfBytes, startPdf } from './pdf-document.ts';

/** `page`: one A4 page. `wallet`: a credit-card-sized card to cut out and fold, on one A4 sheet. */
export type CrisisCardLayout = 'page' | 'wallet';

export const CRISIS_CARD_LAYOUTS: readonly CrisisCardLayout[] = ['page', 'wallet'];

type Doc = PDFKit.PDFDocument;
type Struct = PDFKit.PDFStructureElement;

/** A box to write into: where it is and how big. */
interface Box {
	x: number;
	y: number;
	width: number;
	height: number;
}

/** One paragraph of the card: its words, bold or not, and blank lines after it to write on by hand. */
interface Piece {
	text: string;
	bold?: boolean;
	writeLines?: number;
}

/** The crisis section's words exactly as written, or its four prompts with room to write when it is empty. */
function crisisWords(record: PlanRecord): Piece[] {
	const blocks = record.outline.sections.find((section) => section.id === 'crisis')?.blocks ?? [];
	if (blocks.length > 0)
		return blocks.map((block) => ({
			text:
				block.kind === 'item' ? `${'    '.repeat(block.depth)}${block.checked === null ? '•' : block.checked ? '☑' : '☐'} ${block.text.trim()}` : block.text,
			bold: block.kind === 'heading'
		}));
	const prompts = PLAN_SECTIONS.find((section) => section.id === 'crisis')!.prompts;
	return prompts.map((text) => ({ text, bold: true, writeLines: 3 }));
}

/** The team's crisis contact as lines (name bold), or a line saying there is none yet. */
function contactWords(record: PlanRecord): Piece[] {
	const contact = record.crisisContact;
	if (!contact) return [{ text: m.pdf_crisis_no_contact() }];
	return [
		{ text: contact.name, bold: true },
		{ text: m.pdf_crisis_phone({ phone: contact.phone }), bold: true },
		{ text: m.pdf_crisis_hours({ hours: contact.hours }) },
		...(contact.note ? [{ text: contact.note }] : [])
	];
}

const gapOf = (size: number): number => size * 0.35;
const writeLineHeight = (size: number): number => size * 2;

const measured = new WeakMap<Piece, Map<string, number>>();

/** How tall a piece is at a size and width (measured once: fitting tries many sizes). */
function pieceHeight(doc: Doc, piece: Piece, width: number, size: number): number {
	const key = `${width}:${size}`;
	const known = measured.get(piece)?.get(key);
	if (known !== undefined) return known;
	const height = measure(doc, piece, width, size);
	measured.set(piece, (measured.get(piece) ?? new Map<string, number>()).set(key, height));
	return height;
}

function measure(doc: Doc, piece: Piece, width: number, size: number): number {
	doc.font(piece.bold ? 'bold' : 'regular').fontSize(size);
	return doc.heightOfString(piece.text, { width, lineGap: 1 }) + gapOf(size) + (piece.writeLines ?? 0) * writeLineHeight(size);
}

/**
 * Writes the pieces into the boxes in turn at the largest size from `sizes` at which all of them fit. When not
 * even the smallest fits, writes what fits and ends the last box with "continued in my plan".
 */
function fitInto(doc: Doc, parent: Struct, pieces: Piece[], boxes: [Box, ...Box[]], sizes: [number, ...number[]]): void {
	const boxAt = (at: number): Box => boxes[at] ?? boxes[0];
	/** Whether the first `count` pieces fit at `size` leaving `reserve` free at the end of the last box; draws them when asked. */
	const place = (count: number, size: number, reserve: number, draw: boolean): boolean => {
		let index = 0;
		let y = boxes[0].y;
		const limit = (at: number) => boxAt(at).y + boxAt(at).height - (at === boxes.length - 1 ? reserve : 0);
		for (const piece of pieces.slice(0, count)) {
			let height = pieceHeight(doc, piece, boxAt(index).width, size);
			while (y + height > limit(index)) {
				if (index === boxes.length - 1) return false;
				index++;
				y = boxAt(index).y;
				height = pieceHeight(doc, piece, boxAt(index).width, size);
			}
			if (draw) drawPiece(doc, parent, piece, boxAt(index), y, size);
			y += height;
		}
		return true;
	};
	const size = sizes.find((candidate) => place(pieces.length, candidate, 0, false));
	if (size !== undefined) {
		place(pieces.length, size, 0, true);
		return;
	}
	const smallest = sizes[sizes.length - 1] ?? sizes[0];
	const last = boxAt(boxes.length - 1);
	const reserve = smallest * 2.5;
	// The most pieces that fit before the reserved line (fitting is monotone in the count: search by halves).
	let [fitting, over] = [0, pieces.length];
	while (over - fitting > 1) {
		const middle = Math.floor((fitting + over) / 2);
		if (place(middle, smallest, reserve, false)) fitting = middle;
		else over = middle;
	}
	place(fitting, smallest, reserve, true);
	doc.font('bold').fontSize(smallest);
	doc.text(m.pdf_crisis_continued(), last.x, last.y + last.height - reserve + smallest * 0.5, { width: last.width, structParent: parent, structType: 'P' });
}

function drawPiece(doc: Doc, parent: Struct, piece: Piece, box: Box, y: number, size: number): void {
	doc.font(piece.bold ? 'bold' : 'regular').fontSize(size);
	doc.text(piece.text, box.x, y, { width: box.width, lineGap: 1, structParent: parent, structType: 'P' });
	const writeLines = piece.writeLines ?? 0;
	if (writeLines === 0) return;
	const top = doc.y + gapOf(size);
	artifact(doc, () => {
		doc.save().lineWidth(0.5).strokeColor('#888888');
		for (let index = 1; index <= writeLines; index++) {
			const at = top + index * writeLineHeight(size) - size * 0.4;
			doc
				.moveTo(box.x, at)
				.lineTo(box.x + box.width, at)
				.stroke();
		}
		doc.restore();
	});
}

/** Sizes from `largest` down to `smallest`, half a point apart. */
const sizesFrom = (largest: number, smallest: number): [number, ...number[]] => [
	largest,
	...Array.from({ length: Math.round((largest - smallest) * 2) }, (_, index) => largest - (index + 1) / 2)
];

function pageLayout(doc: Doc, root: Struct, record: PlanRecord, printedAt: Date): void {
	const margin = mm(18);
	const width = doc.page.width - 2 * margin;
	doc.font('bold').fontSize(24);
	doc.text(m.pdf_crisis_title(), margin, margin, { width, structParent: root, structType: 'H1' });
	doc.moveDown(0.2);
	doc.font('regular').fontSize(14);
	doc.text(m.pdf_crisis_for({ person: record.plan.serviceUser.displayName }), { width, structParent: root, structType: 'P' });
	doc.moveDown(0.8);
	const contact = doc.struct('Sect');
	root.add(contact);
	doc.font('bold').fontSize(15);
	doc.text(m.pdf_crisis_contact_heading(), { width, structParent: contact, structType: 'H2' });
	doc.moveDown(0.5);
	const contactTop = doc.y;
	for (const piece of contactWords(record)) drawPiece(doc, contact, piece, { x: margin, y: 0, width, height: 0 }, doc.y, 12);
	contact.end();
	doc.moveDown(0.2);
	doc
		.save()
		.lineWidth(1)
		.strokeColor('#555555')
		.rect(margin - 6, contactTop - 6, width + 12, doc.y - contactTop + 6)
		.stroke()
		.restore();
	doc.moveDown(1);
	const words = doc.struct('Sect');
	root.add(words);
	doc.font('bold').fontSize(15);
	doc.text(m.pdf_crisis_words_heading(), margin, doc.y, { width, structParent: words, structType: 'H2' });
	doc.moveDown(0.3);
	const footer = mm(14);
	const top = doc.y;
	fitInto(doc, words, crisisWords(record), [{ x: margin, y: top, width, height: doc.page.height - margin - footer - top }], sizesFrom(12, 7));
	words.end();
	doc.font('regular').fontSize(9);
	doc.text(m.pdf_crisis_from_plan({ title: record.plan.title, date: formatDay(printedAt) }), margin, doc.page.height - margin - mm(6), {
		width,
		structParent: root,
		structType: 'P',
		lineBreak: false
	});
}

const CARD = { width: mm(85), height: mm(55), padding: mm(4) } as const;

/** Dashed cut line around the strip and dotted fold lines between its four panels. */
function guides(doc: Doc, x: number, y: number, panels: number): void {
	artifact(doc, () => {
		doc.save().lineWidth(0.6).strokeColor('#666666').dash(4, { space: 3 });
		doc.rect(x, y, CARD.width, CARD.height * panels).stroke();
		doc.undash().dash(1, { space: 2 });
		for (let index = 1; index < panels; index++)
			doc
				.moveTo(x, y + index * CARD.height)
				.lineTo(x + CARD.width, y + index * CARD.height)
				.stroke();
		doc.undash().restore();
		doc.font('regular').fontSize(7).fillColor('#444444');
		for (let index = 1; index < panels; index++) doc.text(m.pdf_crisis_fold(), x + CARD.width + 4, y + index * CARD.height - 4, { lineBreak: false });
		doc.fillColor('#000000');
	});
}

/**
 * The wallet card: a strip of four 85×55 mm panels to cut out and fold like a leaflet. The first panel (the front)
 * says what it is, whose it is and who to contact; the three inside panels hold the words of the crisis section.
 */
function walletLayout(doc: Doc, root: Struct, record: PlanRecord, printedAt: Date): void {
	const panels = 4;
	const x = (doc.page.width - CARD.width) / 2;
	const y = mm(20);
	doc.font('regular').fontSize(10);
	doc.text(m.pdf_crisis_wallet_how(), mm(20), mm(10), { width: doc.page.width - mm(40), align: 'center', structParent: root, structType: 'P' });
	guides(doc, x, y, panels);
	const inner = (panel: number): Box => ({
		x: x + CARD.padding,
		y: y + panel * CARD.height + CARD.padding,
		width: CARD.width - 2 * CARD.padding,
		height: CARD.height - 2 * CARD.padding
	});
	const front = doc.struct('Sect');
	root.add(front);
	fitInto(
		doc,
		front,
		[
			{ text: m.pdf_crisis_title(), bold: true },
			{ text: m.pdf_crisis_for({ person: record.plan.serviceUser.displayName }) },
			{ text: m.pdf_crisis_contact_heading(), bold: true },
			...contactWords(record)
		],
		[inner(0)],
		sizesFrom(10, 5)
	);
	front.end();
	const words = doc.struct('Sect');
	root.add(words);
	fitInto(
		doc,
		words,
		[
			...crisisWords(record).map((piece) => ({ ...piece, writeLines: piece.writeLines ? 1 : 0 })),
			{ text: m.pdf_crisis_from_plan({ title: record.plan.title, date: formatDay(printedAt) }) }
		],
		[inner(1), inner(2), inner(3)],
		sizesFrom(9, 5)
	);
	words.end();
}

/**
 * "If things get difficult": the person's name, the words of their plan's crisis section exactly as written (or its
 * prompts with room to write), and their team's crisis contact, as one A4 page or a folded wallet card. Tagged,
 * in the reader's language, fonts embedded; pure over the record.
 */
export function crisisCardPdf(record: PlanRecord, options: { layout: CrisisCardLayout; printedAt: Date }): Promise<Uint8Array> {
	const { doc, root } = startPdf(m.pdf_crisis_document_title({ person: record.plan.serviceUser.displayName }), { margin: 0 });
	if (options.layout === 'wallet') walletLayout(doc, root, record, options.printedAt);
	else pageLayout(doc, root, record, options.printedAt);
	return pdfBytes(doc, root);
}
