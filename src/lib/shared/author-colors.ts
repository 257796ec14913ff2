/** How a person's words are shown when the plan is tinted by author: a light tint behind text, a strong swatch. */
export interface AuthorColor {
	tint: string;
	strong: string;
}

/** The person whose plan it is always has the same warm colour, so their words are easy to pick out. */
const SERVICE_USER_COLOR: AuthorColor = { tint: '#fde3bd', strong: '#8a4b00' };

/** Supervisors read and never write: their caret and presence are grey. */
const SUPERVISOR_COLOR: AuthorColor = { tint: '#e4e7e8', strong: '#4a585e' };

/**
 * Professionals and peer workers (all tints keep dark text above 7:1 contrast, all strong colours keep white
 * text above 4.5:1: they are the caret labels).
 */
const OTHER_COLORS: AuthorColor[] = [
	{ tint: '#d6e6fa', strong: '#1d5fa8' },
	{ tint: '#e8dcf6', strong: '#6b3fa0' },
	{ tint: '#d3efdf', strong: '#1e6b45' },
	{ tint: '#fadbe3', strong: '#a3264a' },
	{ tint: '#d5eef2', strong: '#0f6474' },
	{ tint: '#ece6cb', strong: '#5e5313' },
	{ tint: '#f5dcef', strong: '#8a2f7a' },
	{ tint: '#dfe3f7', strong: '#3a4aa0' }
];

/** FNV-1a: a small, stable hash of a person's id. */
function hashOf(id: string): number {
	let hash = 0x811c9dc5;
	for (let index = 0; index < id.length; index++) {
		hash ^= id.charCodeAt(index);
		hash = Math.imul(hash, 0x01000193);
	}
	return hash >>> 0;
}

/**
 * A person's colour, the same on every page and every screen: carets, "Here now", "who wrote what", history and
 * comparisons. It depends on the person alone (never on who else is in the plan or in which order they were
 * seen), so no two places can disagree, and a person arriving never changes anyone else's colour.
 */
export function authorColor(person: { id: string; kind: string }): AuthorColor {
	if (person.kind === 'service_user') return SERVICE_USER_COLOR;
	if (person.kind === 'supervisor') return SUPERVISOR_COLOR;
	return OTHER_COLORS[hashOf(person.id) % OTHER_COLORS.length]!;
}

/** The colour of words nobody can be named for. */
export const UNKNOWN_AUTHOR_COLOR: AuthorColor = { tint: '#e4e7e8', strong: '#4a585e' };
