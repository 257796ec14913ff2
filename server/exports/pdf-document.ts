import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { getLocale } from '../../src/lib/paraglide/runtime.js';

const require = createRequire(import.meta.url);

/**
 * The DejaVu fonts, embedded in every PDF so German and every other letter people write prints as written (the
 * standard PDF fonts know only Latin-1). Resolved through the package, so the built server finds them too.
 */
export const FONTS = {
	regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
	bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')
} as const;

/** Millimetres in PDF points. */
export const mm = (value: number): number => (value * 72) / 25.4;

/**
 * A new tagged PDF 1.7 in the reader's language with its title shown instead of the file name, the two fonts
 * registered as `regular` and `bold`, and a Document structure element that every tagged block goes into.
 */
export function startPdf(title: string, options: { margin: number; bufferPages?: boolean }): { doc: PDFKit.PDFDocument; root: PDFKit.PDFStructureElement } {
	const doc = new PDFDocument({
		size: 'A4',
		margin: options.margin,
		pdfVersion: '1.7',
		tagged: true,
		lang: getLocale(),
		displayTitle: true,
		bufferPages: options.bufferPages ?? false,
		font: FONTS.regular,
		info: { Title: title, Creator: 'Chorus' }
	});
	doc.registerFont('regular', FONTS.regular);
	doc.registerFont('bold', FONTS.bold);
	const root = doc.struct('Document');
	doc.addStructure(root);
	return { doc, root };
}

/** The finished PDF's bytes. */
export function pdfBytes(doc: PDFKit.PDFDocument, root: PDFKit.PDFStructureElement): Promise<Uint8Array> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		doc.on('data', (chunk: Buffer) => chunks.push(chunk));
		doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
		doc.on('error', reject);
		root.end();
		doc.end();
	});
}

/** Draws something that is not part of the words (page numbers, guides) as an artifact, so screen readers skip it. */
export function artifact(doc: PDFKit.PDFDocument, draw: () => void): void {
	doc.markContent('Artifact', { type: 'Layout' });
	draw();
	doc.endMarkedContent();
}
