import { listPeopleByIds } from '$db/accounts';
import { m } from '$lib/paraglide/messages';
import { UNKNOWN_AUTHOR_COLOR } from '$lib/shared/author-colors';
import { presenceFor } from '$lib/shared/presence';
import type { Discipline, Role } from '$lib/shared/roles';
import { db } from '../db';

/** What the history says about a person who changed a plan. */
export interface Author {
	id: string;
	name: string;
	/** Codes, not words: pages say them with describeRole. Null for someone no longer known. */
	role: Role | null;
	discipline: Discipline | null;
	/** How their words are grouped in shares: the person whose plan it is, professionals, peer workers. */
	kind: 'service_user' | 'professional' | 'peer_worker';
	color: string;
}

/** Names and roles of the people with these ids. */
export async function loadAuthors(ids: Iterable<string>): Promise<Map<string, Author>> {
	const people = await listPeopleByIds(db(), [...new Set(ids)]);
	return new Map(
		people.map((person) => {
			const presence = presenceFor(person, false);
			const kind = presence.kind === 'supervisor' ? 'professional' : presence.kind;
			return [person.id, { id: person.id, name: person.displayName, role: person.role, discipline: person.discipline, kind, color: presence.color }];
		})
	);
}

/** A person no longer known (should not happen: people are disabled, never deleted), named in the reader's language. */
export function unknownAuthor(id: string): Author {
	return { id, name: m.history_someone(), role: null, discipline: null, kind: 'professional', color: UNKNOWN_AUTHOR_COLOR.strong };
}
