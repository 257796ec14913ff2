import type * as Y from 'yjs';
import type { PlanClientBinding } from '../../db/plan-log.ts';

/**
 * Who wrote what, decided by the server: every Yjs client id of a plan is bound to one person (by the content in
 * the log, or by the presence that announced it), a change under another person's id is refused, and each change
 * is stored under the person whose ids it writes with. Nothing a client says about itself is taken on trust.
 */
export class Attribution {
	/** Yjs client id → the person it belongs to in this plan (from the log, and bound since). */
	private readonly owners = new Map<number, string>();
	/** Yjs client id → the person whose presence announced it (not stored: nothing was written with it yet). */
	private readonly claimed = new Map<number, string>();
	/** Bindings made since the last commit, to be stored with it. */
	private readonly unstored: PlanClientBinding[] = [];

	constructor(private readonly planId: string) {}

	/** Takes in the bindings stored in the log. */
	load(owners: Map<number, string>): void {
		for (const [clientId, userId] of owners) this.owners.set(clientId, userId);
	}

	/** Who a Yjs client id belongs to here: bound by content in the log, or claimed by someone's presence. */
	readonly ownerOf = (clientId: number): string | undefined => this.owners.get(clientId) ?? this.claimed.get(clientId);

	/** Binds the client ids an accepted change writes with to its person (the update guard refused anyone else's). */
	bind(clientIds: Iterable<number>, userId: string): void {
		for (const clientId of clientIds) {
			if (this.owners.has(clientId)) continue;
			this.owners.set(clientId, userId);
			this.unstored.push({ planId: this.planId, clientId, userId });
		}
	}

	/** Binds fresh client ids the server wrote with on people's behalf (a restore). */
	bindWriters(writers: Iterable<[userId: string, clientId: number]>): void {
		for (const [userId, clientId] of writers) {
			this.owners.set(clientId, userId);
			this.unstored.push({ planId: this.planId, clientId, userId });
		}
	}

	/** The bindings to store with the next commit (each handed over once). */
	takeUnstored(): PlanClientBinding[] {
		return this.unstored.splice(0);
	}

	/**
	 * Claims an awareness id (which is also the client's Yjs client id) for the person announcing it, for as long as
	 * the room is loaded: nobody else can then show up under it or write with it, even while its owner reconnects.
	 * False when it is someone else's, or the server's own.
	 */
	claim(clientId: number, userId: string, serverClientId: number): boolean {
		if (clientId === serverClientId) return false;
		const owner = this.ownerOf(clientId);
		if (owner !== undefined && owner !== userId) return false;
		this.claimed.set(clientId, userId);
		return true;
	}

	/**
	 * The person a change is stored under: the owner of the client ids whose content it adds when they are all one
	 * person's (content can be integrated late, under another connection), otherwise the sender.
	 */
	authorOf(clients: number[], senderId: string): string {
		const owners = new Set<string>();
		for (const clientId of clients) {
			const owner = this.owners.get(clientId);
			if (owner) owners.add(owner);
		}
		return owners.size === 1 ? [...owners][0]! : senderId;
	}

	/** The client id a stored row names: one of its author's own (a restore also writes under its writers' ids). */
	rowClientId(clients: number[], userId: string): number {
		return clients.find((clientId) => this.owners.get(clientId) === userId) ?? clients[0] ?? 0;
	}

	/** A client id nobody has used in this plan, for the server to write with on someone's behalf. */
	unusedClientId(doc: Y.Doc): number {
		for (;;) {
			const clientId = Math.floor(Math.random() * 0xffffffff);
			if (!this.owners.has(clientId) && !doc.store.clients.has(clientId)) return clientId;
		}
	}
}
