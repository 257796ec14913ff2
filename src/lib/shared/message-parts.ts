// A character no message or name contains (Unicode private use): it stands where the page puts its markup.
const MARK = '\u{E000}';

/**
 * A whole sentence with one placeholder the page fills with markup (a link, a name in bold), as the text before
 * and after it, so the sentence stays one message and each language keeps its own word order.
 * `aroundPlaceholder((link) => m.home_supervisor_audit({ link }))` → ['See how … in the ', '.']
 */
export function aroundPlaceholder(message: (mark: string) => string): [before: string, after: string] {
	const [before = '', after = ''] = message(MARK).split(MARK);
	return [before, after];
}
