/** How a person's words are shown when the plan is tinted by author: a light tint behind text, a strong swatch. */
export interface AuthorColor {
	tint: string;
	strong: string;
}

/** The person whose plan it is always has the same warm colour, so their words are easy to pick out. */
const SERVICE_USER_COLOR: AuthorColor = { tint: '#fde3bd', strong: '#8a4b00' };

/** Professionals and peer workers, in turn (all tints keep body text above 7:1 contrast). */
const OTHER_COLORS: AuthorColor[] = [
	{ tint: '#d6e6fa', strong: '#1d5fa8' },
	{ tint: '#e8dcf6', strong: '#6b3fa0' },
	{ tint: '#d3efdf', strong: '#1e6b45' },
	{ tint: '#fadbe3', strong: '#a3264a' },
	{ tint: '#d5eef2', strong: '#0f6474' },
	{ tint: '#ece6cb', strong: '#5e5313' }
];

/** A colour per person: the service user first, then everyone else in name order. */
export function assignAuthorColors(people: readonly { id: string; name: string; kind: string }[]): Map<string, AuthorColor> {
	const colors = new Map<string, AuthorColor>();
	let next = 0;
	for (const person of [...people].sort((a, b) => a.name.localeCompare(b.name))) {
		if (person.kind === 'service_user') colors.set(person.id, SERVICE_USER_COLOR);
		else colors.set(person.id, OTHER_COLORS[next++ % OTHER_COLORS.length]!);
	}
	return colors;
}

/** The colour of words nobody can be named for. */
export const UNKNOWN_AUTHOR_COLOR: AuthorColor = { tint: '#e4e7e8', strong: '#4a585e' };
