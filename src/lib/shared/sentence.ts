/** Stands for the piece while the sentence is translated: an invisible separator nobody types into a name. */
const PIECE = '\u2063';

/**
 * A translated sentence with one piece shown differently (a link, a bold phrase), as the words before and after
 * that piece: the translation decides where in the sentence the piece goes, the page only marks it up.
 * `sentence` gets a stand-in for the piece, e.g. `(phone) => m.crisis_call({ phone })`.
 */
export function aroundPiece(sentence: (piece: string) => string): { before: string; after: string } {
	const text = sentence(PIECE);
	const at = text.indexOf(PIECE);
	return at < 0 ? { before: text, after: '' } : { before: text.slice(0, at), after: text.slice(at + PIECE.length) };
}
