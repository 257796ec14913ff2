import { getContext, setContext } from 'svelte';
import { SvelteMap } from 'svelte/reactivity';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { m } from '../paraglide/messages.js';
import { authorColor, UNKNOWN_AUTHOR_COLOR, type AuthorColor } from '../shared/author-colors.ts';
import { charsByPerson, countAuthorship } from '../shared/authorship.ts';
import type { PresenceUser } from '../shared/collab-protocol.ts';
import { translated } from '../shared/locale.ts';
import type { Discipline, Role } from '../shared/roles.ts';

/** A person who may have written in the plan, as the page knows them. */
export interface KnownAuthor {
	id: string;
	name: string;
	kind: 'service_user' | 'professional' | 'peer_worker';
	/** Null for someone no longer known. */
	role: Role | null;
	discipline: Discipline | null;
}

export interface AuthorShare {
	id: string;
	name: string;
	/** Null when the page does not know the writer. */
	role: Role | null;
	discipline: Discipline | null;
	chars: number;
	/** Whole percent of the section, rounded. */
	percent: number;
	color: AuthorColor;
}

const UNKNOWN = '';

/** Shares by role, in words the person whose plan it is would use. */
export const ROLE_SHARE_LABELS = translated<KnownAuthor['kind'] | 'unknown'>({
	service_user: m.authorship_group_service_user,
	professional: m.authorship_group_professional,
	peer_worker: m.authorship_group_peer_worker,
	unknown: m.authorship_group_unknown
});

export interface RoleShare {
	kind: keyof typeof ROLE_SHARE_LABELS;
	percent: number;
}

/**
 * "Who wrote what" on the live plan: which person each Yjs client id belongs to (from the server's bindings at
 * page load, then from the presence the server stamps on each connection), a colour per person, and each
 * section's shares, kept current as the plan changes.
 */
export class PlanAuthorship {
	showAuthors = $state(false);
	/** Section id (and `goals`) → shares, largest first. */
	shares = $state<Record<string, AuthorShare[]>>({});
	/** Section id (and `goals`) → shares by role, in a fixed order. */
	roleShares = $state<Record<string, RoleShare[]>>({});
	private readonly owners: Map<number, string>;
	private readonly people = new SvelteMap<string, KnownAuthor>();
	private timer: ReturnType<typeof setTimeout> | null = null;
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- callbacks, not state
	private readonly listeners = new Set<() => void>();

	constructor(
		private readonly doc: Y.Doc,
		awareness: Awareness,
		writers: [number, string][],
		people: KnownAuthor[]
	) {
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- read when counting; `shares` is the state
		this.owners = new Map(writers);
		for (const person of people) this.people.set(person.id, person);
		awareness.on('change', () => this.learnFromPresence(awareness));
		this.learnFromPresence(awareness);
		doc.on('update', () => this.scheduleCount());
		this.count();
	}

	/** The person and colour behind a client id's words. */
	authorOf(clientId: number): { id: string; name: string; color: AuthorColor } | null {
		const person = this.people.get(this.owners.get(clientId) ?? UNKNOWN);
		if (!person) return null;
		return { id: person.id, name: person.name, color: authorColor(person) };
	}

	toggle(): void {
		this.showAuthors = !this.showAuthors;
		this.notify();
	}

	/** Called when tints must be redrawn (toggle, newly known people). */
	onChange(listener: () => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	private notify(): void {
		for (const listener of this.listeners) listener();
	}

	private learnFromPresence(awareness: Awareness): void {
		let learned = false;
		for (const [clientId, state] of awareness.getStates()) {
			const user = (state as { user?: PresenceUser }).user;
			if (!user?.id || user.kind === 'supervisor') continue;
			// The server's bindings come first; presence only names client ids the page has not heard of yet.
			if (!this.owners.has(clientId)) {
				this.owners.set(clientId, user.id);
				learned = true;
			}
			if (!this.people.has(user.id)) this.people.set(user.id, { id: user.id, name: user.name, kind: user.kind, role: user.role, discipline: user.discipline });
		}
		if (learned) {
			this.scheduleCount();
			this.notify();
		}
	}

	private scheduleCount(): void {
		this.timer ??= setTimeout(() => {
			this.timer = null;
			this.count();
		}, 300);
	}

	private count(): void {
		const counted = countAuthorship(this.doc);
		const next: Record<string, AuthorShare[]> = {};
		const nextRoles: Record<string, RoleShare[]> = {};
		for (const part of [...counted.sections, counted.allGoals]) {
			next[part.id] = [...charsByPerson(part.byClient, (client) => this.owners.get(client))]
				.map(([id, chars]) => {
					const person = this.people.get(id);
					return {
						id,
						name: person?.name ?? m.authorship_someone_else(),
						role: person?.role ?? null,
						discipline: person?.discipline ?? null,
						chars,
						percent: part.total === 0 ? 0 : Math.round((chars / part.total) * 100),
						color: person ? authorColor(person) : UNKNOWN_AUTHOR_COLOR
					};
				})
				.sort((a, b) => b.chars - a.chars);
			// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local scratch map
			const byKind = new Map<RoleShare['kind'], number>();
			for (const share of next[part.id]!) {
				const kind = this.people.get(share.id)?.kind ?? 'unknown';
				byKind.set(kind, (byKind.get(kind) ?? 0) + share.chars);
			}
			nextRoles[part.id] = (Object.keys(ROLE_SHARE_LABELS) as RoleShare['kind'][])
				.filter((kind) => byKind.has(kind))
				.map((kind) => ({ kind, percent: part.total === 0 ? 0 : Math.round((byKind.get(kind)! / part.total) * 100) }));
		}
		this.shares = next;
		this.roleShares = nextRoles;
	}

	destroy(): void {
		if (this.timer) clearTimeout(this.timer);
		this.listeners.clear();
	}
}

const KEY = Symbol('plan-authorship');

export function setPlanAuthorship(authorship: PlanAuthorship): PlanAuthorship {
	return setContext(KEY, authorship);
}

export function getPlanAuthorship(): PlanAuthorship {
	return getContext<PlanAuthorship>(KEY);
}
