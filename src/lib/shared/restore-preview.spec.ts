import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { partsOf, previewRestore, restoreFingerprint, sameParts } from './restore-preview.ts';

function withParagraphs(doc: Y.Doc, section: string, lines: string[]): void {
	doc.transact(() => {
		for (const line of lines) {
			const paragraph = new Y.XmlElement('paragraph');
			doc.getXmlFragment(`section:${section}`).push([paragraph]);
			const text = new Y.XmlText();
			paragraph.push([text]);
			text.insert(0, line);
		}
	});
}

const copyOf = (doc: Y.Doc) => {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	return copy;
};

describe('previewRestore', () => {
	it('says when nothing would change', () => {
		const now = new Y.Doc();
		withParagraphs(now, 'hope', ['Football on Saturdays']);
		const preview = previewRestore(copyOf(now), now, partsOf({ section: 'hope' }), () => undefined);
		expect(preview).toMatchObject({ same: true, parts: [], removes: false, empties: false });
		expect(sameParts(copyOf(now), now, partsOf('plan'))).toBe(true);
		// An emptied section with the empty paragraph an open editor writes into it is as empty as one never written.
		const emptied = new Y.Doc();
		withParagraphs(emptied, 'hope', ['']);
		expect(previewRestore(new Y.Doc(), emptied, partsOf({ section: 'hope' }), () => undefined)).toMatchObject({ same: true });
		expect(previewRestore(emptied, now, partsOf({ section: 'hope' }), () => undefined)).toMatchObject({ same: false, empties: true });
	});

	it('lists the lines removed and brought back, whose words go, and a section left empty', () => {
		const now = new Y.Doc();
		now.clientID = 1;
		const version = copyOf(now);
		withParagraphs(now, 'hope', ['Football on Saturdays', 'Seeing my nephew']);
		const owners = new Map([[1, 'sam']]);
		const emptying = previewRestore(version, now, partsOf({ section: 'hope' }), (client) => owners.get(client));
		expect(emptying).toMatchObject({ same: false, removes: true, empties: true, removesWordsOf: ['sam'] });
		expect(emptying.parts).toEqual([
			{
				part: 'hope',
				removed: [
					{ text: 'Football on Saturdays', writers: ['sam'] },
					{ text: 'Seeing my nephew', writers: ['sam'] }
				],
				added: [],
				empties: true
			}
		]);

		const older = copyOf(now);
		const later = copyOf(now);
		later.clientID = 2;
		withParagraphs(later, 'hope', ['A new line by Priya']);
		const adding = previewRestore(later, now, partsOf({ section: 'hope' }), () => undefined);
		expect(adding).toMatchObject({ removes: false, empties: false });
		expect(adding.parts[0]?.added.map((line) => line.text)).toEqual(['A new line by Priya']);
		// The fingerprint follows what the section holds now, and nothing else.
		expect(restoreFingerprint(older, partsOf({ section: 'hope' }))).toBe(restoreFingerprint(now, partsOf({ section: 'hope' })));
		expect(restoreFingerprint(later, partsOf({ section: 'hope' }))).not.toBe(restoreFingerprint(now, partsOf({ section: 'hope' })));
		withParagraphs(later, 'about', ['Elsewhere']);
		expect(restoreFingerprint(later, partsOf({ section: 'hope' }))).toBe(restoreFingerprint(copyOf(later), partsOf({ section: 'hope' })));
	});
});
