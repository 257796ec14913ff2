import { charsByPerson, type CharsByClient, type PlanAuthorship } from '$lib/shared/authorship';
import { loadAuthors, unknownAuthor, type Author } from './people';

export interface PersonShare {
	id: string;
	name: string;
	/** Codes, not words (null for someone no longer known). */
	role: Author['role'];
	discipline: Author['discipline'];
	/** Which share of `byRole` their words count in. */
	kind: Author['kind'];
	chars: number;
}

export interface ShareOf {
	id: string;
	total: number;
	byUser: PersonShare[];
}

/** Who wrote the plan's current text: the shape of GET /api/plans/<id>/authorship. */
export interface AuthorshipReport {
	total: number;
	byUser: PersonShare[];
	byRole: Record<Author['kind'], number>;
	/** The eight sections, then `goals` (the words of every goal and step). */
	sections: ShareOf[];
	goals: (ShareOf & { domain: string | null })[];
}

/** Names the writers of a plan's counted characters, through the plan's client id bindings. */
export async function buildAuthorshipReport(counted: PlanAuthorship, owners: Map<number, string>): Promise<AuthorshipReport> {
	const parts = [...counted.sections, counted.allGoals];
	const authors = await loadAuthors(owners.values());
	const ownerOf = (client: number) => owners.get(client);
	const shares = (byClient: CharsByClient): PersonShare[] =>
		[...charsByPerson(byClient, ownerOf)]
			.map(([id, chars]) => {
				const author = authors.get(id) ?? unknownAuthor(id);
				return { id, name: author.name, role: author.role, discipline: author.discipline, kind: author.kind, chars };
			})
			.toSorted((a, b) => b.chars - a.chars || a.name.localeCompare(b.name));
	const everything: CharsByClient = new Map();
	for (const part of parts) for (const [client, chars] of part.byClient) everything.set(client, (everything.get(client) ?? 0) + chars);
	const byUser = shares(everything);
	const byRole: Record<Author['kind'], number> = { service_user: 0, professional: 0, peer_worker: 0 };
	for (const share of byUser) byRole[share.kind] += share.chars;
	return {
		total: byUser.reduce((sum, share) => sum + share.chars, 0),
		byUser,
		byRole,
		sections: parts.map((part) => ({ id: part.id, total: part.total, byUser: shares(part.byClient) })),
		goals: counted.goals.map((goal) => ({ id: goal.id, domain: goal.domain, total: goal.total, byUser: shares(goal.byClient) }))
	};
}
