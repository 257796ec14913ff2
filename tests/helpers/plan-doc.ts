import * as Y from 'yjs';

/** A new paragraph at the end of a section, as Tiptap makes one, with its words (one change); returns its text. */
export function appendParagraph(doc: Y.Doc, section: string, words = ''): Y.XmlText {
	const text = new Y.XmlText();
	doc.transact(() => {
		const paragraph = new Y.XmlElement('paragraph');
		doc.getXmlFragment(`section:${section}`).push([paragraph]);
		paragraph.push([text]);
		if (words) text.insert(0, words);
	});
	return text;
}

/** The text of a section's first paragraph (which must exist). */
export const firstParagraphText = (doc: Y.Doc, section: string): Y.XmlText =>
	(doc.getXmlFragment(`section:${section}`).get(0) as Y.XmlElement).get(0) as Y.XmlText;

/** A section's words, paragraphs joined with newlines. */
export const sectionWords = (doc: Y.Doc, section: string): string =>
	doc
		.getXmlFragment(`section:${section}`)
		.toArray()
		.map((paragraph) =>
			paragraph instanceof Y.XmlElement
				? paragraph
						.toArray()
						.map((node) => (node instanceof Y.XmlText ? node.toString() : ''))
						.join('')
				: ''
		)
		.join('\n');

/**
 * Words the tests type into plans (and into goal ids) so that the suite can prove no plan content reaches any
 * server log line: tests/helpers/check-logs.ts fails the suite if it appears in any server output.
 */
export const PLAN_CONTENT_MARKER = 'kestrel-7q-private-words';
