import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { loadPlanStateAt } from '../../db/plan-history.ts';
import { loadPlanClients, loadPlanState, writePlanCheckpoint, type NewPlanUpdate, type PlanClientBinding } from '../../db/plan-log.ts';
import type { Database } from '../../db/types.ts';
import { findRunningAppointment } from '../../db/appointments.ts';
import { logError } from '../../db/errors.ts';
import type { ServerChangeBuilder } from '../../src/lib/shared/live-plans.ts';
import { summariseChanges, summaryOf, type ChangeSummary } from '../../src/lib/shared/change-summary.ts';
import { packStoredState } from '../../src/lib/shared/packed-updates.ts';
import { mergeStoredUpdates } from '../../src/lib/shared/plan-replays.ts';
import { hasWorkPool, runWork } from '../../src/lib/shared/work-pool.ts';
import {
	CLOSE_CODES,
	MESSAGE_AWARENESS,
	MESSAGE_QUERY_AWARENESS,
	MESSAGE_SAVED,
	MESSAGE_SYNC,
	SYNC_STEP_1,
	SYNC_STEP_2,
	SYNC_UPDATE
} from '../../src/lib/shared/collab-protocol.ts';
import type { CommitBatch } from './commit-queue.ts';
import type { CollabConnection } from './connection.ts';
import { rewriteAwarenessUpdate } from './awareness-guard.ts';
import { checkPlanUpdate } from './update-guard.ts';

/** A message the server cannot read: closes the socket that sent it, nothing else. */
export class MalformedMessageError extends Error {
	override name = 'MalformedMessageError';
}

export interface RoomOptions {
	/** Write a checkpoint once this many updates were appended since the last one. */
	checkpointEvery: number;
	/** Commits a batch (the process-wide group commit); resolves once it is durable. */
	commit(batch: CommitBatch): Promise<void>;
	/** Resolves when the plan's previous room (being unloaded) has stored everything. */
	previous?: Promise<void>;
	/** Called once when the room can no longer guarantee durability and must be dropped. */
	onFailure(room: Room, error: unknown): void;
	/** Called after changes were committed. */
	onCommitted?(): void;
}

interface PendingChange {
	update: Uint8Array;
	summary: ChangeSummary;
	/** The connection that sent it; null for a change the server made on someone's behalf. */
	author: CollabConnection | null;
	/** The number of the author's message that produced it. */
	messageNumber: number;
	/** Who a server-made change is stored under. */
	madeBy?: string;
}

/** Origin of transactions that load stored state: they are not new changes. */
const LOADING = Symbol('loading');

/** From this many updates after the checkpoint, a load merges them in a worker thread. */
const MERGE_TAIL_IN_WORKER_FROM = 200;

/**
 * Below this size a checkpoint is encoded from the live document (about 2 ms for 90 KB); above it, merged in a
 * worker thread from the stored checkpoint and log (reading back 1,000 updates keeps the event loop busy ~5 ms).
 */
const ENCODE_CHECKPOINT_HERE_BELOW = 256 * 1024;

/** Origin of a change the server makes on someone's behalf (a restore). */
interface ServerChangeOrigin {
	madeBy: string;
	restoredFrom?: number;
}

/**
 * One plan's live document. Changes are applied, appended to the log in grouped commits, and only then
 * broadcast and acknowledged ("acknowledged means committed"). Nothing is processed before the stored state
 * is fully loaded.
 */
export class Room {
	readonly doc = new Y.Doc({ gc: true });
	readonly awareness = new awarenessProtocol.Awareness(this.doc);
	readonly connections = new Set<CollabConnection>();
	/** Yjs client id → the person it belongs to in this plan (from the log). */
	private readonly clientOwners = new Map<number, string>();
	/** Yjs client id → the person whose presence announced it (not stored: nothing was written with it yet). */
	private readonly claimedIds = new Map<number, string>();
	private readonly newBindings: PlanClientBinding[] = [];
	private readonly pending: PendingChange[] = [];
	private readonly whenCommitted: (() => void)[] = [];
	private committing: Promise<void> | null = null;
	private lastSeq = 0;
	private checkpointSeq = 0;
	private failed = false;
	private destroyed = false;
	/** An appointment is running: every change is `joint`. */
	private appointmentRunning = false;
	/** Connections admitted to this room that have not joined yet (waiting for the load). */
	joining = 0;
	private readonly checkpointJitter = Math.random() / 4;
	readonly loaded: Promise<void>;

	constructor(
		readonly planId: string,
		private readonly db: Database,
		private readonly options: RoomOptions
	) {
		this.awareness.setLocalState(null);
		summariseChanges(this.doc, (origin) => origin === LOADING);
		this.doc.on('update', (update: Uint8Array, origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) =>
			this.collectChange(update, origin, summaryOf(transaction))
		);
		this.awareness.on('update', ({ added, updated, removed }: AwarenessChange) => {
			const changed = [...added, ...updated, ...removed];
			const message = encodeMessage(MESSAGE_AWARENESS, (encoder) =>
				encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed))
			);
			// Echoed to the sender too, as the stock server does: a lone person's client then hears from the
			// server at least every 15 s and does not think the connection died.
			for (const connection of this.connections) connection.send(message);
		});
		this.loaded = this.load();
	}

	/** Highest committed seq. */
	get seq(): number {
		return this.lastSeq;
	}

	private async load(): Promise<void> {
		// The same plan's previous room may still be storing its last changes: read only after it finished.
		await this.options.previous;
		const [stored, owners, appointment] = await Promise.all([
			loadPlanState(this.db, this.planId),
			loadPlanClients(this.db, this.planId),
			findRunningAppointment(this.db, this.planId)
		]);
		this.appointmentRunning = appointment !== null;
		for (const [clientId, userId] of owners) this.clientOwners.set(clientId, userId);
		// A long log is merged in a worker thread and applied here as one update; a short one is applied as it is,
		// each part in one transaction (far faster than merging thousands of small updates with Y.mergeUpdates).
		const merged =
			stored.tail.length >= MERGE_TAIL_IN_WORKER_FROM && hasWorkPool()
				? await runWork(mergeStoredUpdates, { updates: packStoredState(stored.checkpoint, stored.tail) }, 'live')
				: null;
		const parts = merged ? [merged] : stored.checkpoint ? [stored.checkpoint, ...stored.tail] : stored.tail;
		this.doc.transact(() => {
			for (const part of parts) Y.applyUpdate(this.doc, part, LOADING);
		}, LOADING);
		this.lastSeq = stored.lastSeq;
		this.checkpointSeq = stored.checkpointSeq;
		this.checkpointBytes = merged?.byteLength ?? stored.checkpoint?.byteLength ?? 0;
		if (this.lastSeq - this.checkpointSeq < this.options.checkpointEvery) return;
		// The merged state is the checkpoint already. (Not through checkpoint(): that waits for this load to end.)
		if (merged) await this.storeCheckpoint(this.lastSeq, merged);
		else await this.checkpointLoaded();
	}

	/** Adds a connection once the room is loaded: it gets the server's state vector and everyone's presence. */
	join(connection: CollabConnection): void {
		this.connections.add(connection);
		connection.send(
			encodeMessage(MESSAGE_SYNC, (encoder) => {
				encoding.writeVarUint(encoder, SYNC_STEP_1);
				encoding.writeVarUint8Array(encoder, Y.encodeStateVector(this.doc));
			})
		);
		if (this.awareness.getStates().size > 0) {
			connection.send(
				encodeMessage(MESSAGE_AWARENESS, (encoder) =>
					encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.awareness.getStates().keys()]))
				)
			);
		}
	}

	/** Removes a connection and the presence it spoke for. */
	leave(connection: CollabConnection): void {
		if (!this.connections.delete(connection)) return;
		const ids = [...connection.awarenessIds].filter((id) => this.awareness.getStates().has(id));
		if (ids.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, ids, null);
	}

	/** Handles one binary message from a connection. Throws MalformedMessageError for unreadable input. */
	handleMessage(connection: CollabConnection, data: Uint8Array): void {
		try {
			const decoder = decoding.createDecoder(data);
			const type = decoding.readVarUint(decoder);
			switch (type) {
				case MESSAGE_SYNC:
					this.handleSync(connection, decoder);
					return;
				case MESSAGE_AWARENESS:
					this.handleAwareness(connection, decoding.readVarUint8Array(decoder));
					return;
				case MESSAGE_QUERY_AWARENESS:
					connection.send(
						encodeMessage(MESSAGE_AWARENESS, (encoder) =>
							encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.awareness.getStates().keys()]))
						)
					);
					return;
				default:
					throw new MalformedMessageError(`Unknown message type ${type}`);
			}
		} catch (error) {
			if (error instanceof MalformedMessageError) throw error;
			throw new MalformedMessageError(error instanceof Error ? error.message : String(error));
		}
	}

	private handleSync(connection: CollabConnection, decoder: decoding.Decoder): void {
		const step = decoding.readVarUint(decoder);
		if (step === SYNC_STEP_1) {
			if (++connection.syncRequests > 10) {
				connection.close(CLOSE_CODES.rateLimited, 'Too many sync requests');
				return;
			}
			const stateVector = decoding.readVarUint8Array(decoder);
			Y.decodeStateVector(stateVector); // validates before anything is queued
			// Only committed content leaves the server: answer once everything applied so far is stored.
			this.afterCommits(() => {
				if (connection.closed || this.broken) return;
				connection.send(
					encodeMessage(MESSAGE_SYNC, (encoder) => {
						encoding.writeVarUint(encoder, SYNC_STEP_2);
						encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(this.doc, stateVector));
					})
				);
			});
			return;
		}
		if (step !== SYNC_STEP_2 && step !== SYNC_UPDATE) throw new MalformedMessageError(`Unknown sync step ${step}`);
		const received = decoding.readVarUint8Array(decoder);
		// Read-only people (supervisors) cannot change the plan: their document messages are dropped unread.
		if (!connection.canEdit) return;
		if (!connection.documentBytes.take(received.byteLength)) {
			connection.close(CLOSE_CODES.rateLimited, 'Too many changes too fast');
			return;
		}
		const number = ++connection.received;
		const userId = connection.identity.user.id;
		// Only what the server lacks is checked and applied: Yjs re-links structs it partly has, and re-reads ones it
		// has in full, in ways a check of the raw bytes would not see.
		const update = Y.diffUpdate(received, Y.encodeStateVector(this.doc));
		const verdict = checkPlanUpdate(this.doc, update, userId, (clientId) => this.ownerOf(clientId));
		if (!verdict.ok) {
			this.refuse(connection, verdict.problem, verdict.reason);
			return;
		}
		for (const clientId of verdict.newClients) {
			if (this.clientOwners.has(clientId)) continue;
			this.clientOwners.set(clientId, userId);
			this.newBindings.push({ planId: this.planId, clientId, userId });
		}
		Y.applyUpdate(this.doc, update, { connection, number });
		if (this.doc.store.pendingStructs || this.doc.store.pendingDs) {
			// The guard lets nothing through that Yjs would hold back; if it ever did, held-back content must not
			// be stored later inside someone else's change.
			this.doc.store.pendingStructs = null;
			this.doc.store.pendingDs = null;
			logError('a change was held back by Yjs after the update guard accepted it; dropped', null);
			connection.close(CLOSE_CODES.resync, 'Resynchronising');
			return;
		}
		connection.processed = number;
		// A message that changed nothing may repeat content another socket sent and that is still being
		// committed: it is acknowledged only once everything applied so far is stored.
		if (connection.uncommitted.length === 0) this.afterCommits(() => this.acknowledge(connection));
	}

	/** Who a Yjs client id belongs to here: bound by content in the log, or claimed by someone's presence. */
	private ownerOf(clientId: number): string | undefined {
		return this.clientOwners.get(clientId) ?? this.claimedIds.get(clientId);
	}

	/** Closes a connection whose change was refused; the room and everyone else carry on. */
	private refuse(connection: CollabConnection, problem: 'gap' | 'forged' | 'refused', reason: string): void {
		if (problem === 'gap') {
			// It builds on content this server does not have (lost before it was committed): it cannot be stored,
			// so it is neither applied nor acknowledged. Reconnecting makes the client send everything missing.
			connection.close(CLOSE_CODES.resync, 'Resynchronising');
			return;
		}
		// Never the content itself in the log: only whose change it was and why it was refused.
		console.warn(`[chorus] refused a change to plan ${this.planId} from user ${connection.identity.user.id}: ${reason}`);
		if (problem === 'forged') connection.close(CLOSE_CODES.forgedClientId, 'This change uses another person’s editor id');
		else connection.close(CLOSE_CODES.refusedChange, 'This change does not fit a care plan');
	}

	private handleAwareness(connection: CollabConnection, update: Uint8Array): void {
		if (update.length > connection.limits.maxAwarenessBytes || !connection.awarenessRate.take()) return;
		const rewritten = rewriteAwarenessUpdate(update, connection, {
			claim: (clientId) => this.claimAwarenessId(clientId, connection),
			seen: (clientId) => ({ clock: this.awareness.meta.get(clientId)?.clock ?? -1, shown: this.awareness.getStates().has(clientId) })
		});
		if (rewritten) awarenessProtocol.applyAwarenessUpdate(this.awareness, rewritten, connection);
	}

	/**
	 * Claims an awareness id (which is also the client's Yjs client id) for the person announcing it, for as long as
	 * the room is loaded: nobody else can then show up under it or write with it, even while its owner reconnects.
	 * The same person's new connection (a reconnect) takes it over. False when it is someone else's.
	 */
	private claimAwarenessId(clientId: number, asker: CollabConnection): boolean {
		const userId = asker.identity.user.id;
		if (clientId === this.doc.clientID) return false;
		const owner = this.ownerOf(clientId);
		if (owner !== undefined && owner !== userId) return false;
		this.claimedIds.set(clientId, userId);
		for (const connection of this.connections) {
			if (connection !== asker) connection.awarenessIds.delete(clientId);
		}
		return true;
	}

	/**
	 * Applies a change the server makes on someone's behalf: stored under that person, broadcast to everyone.
	 * Resolves with the seq it was committed at (the current seq when it changed nothing).
	 */
	async applyServerChange(madeBy: string, build: ServerChangeBuilder, restoredFrom?: number): Promise<number> {
		await this.loaded;
		if (this.broken) throw new Error('This plan cannot take changes right now');
		const draft = new Y.Doc({ gc: false });
		Y.applyUpdate(draft, Y.encodeStateAsUpdate(this.doc));
		const updates: Uint8Array[] = [];
		draft.on('update', (update: Uint8Array) => updates.push(update));
		const clientOf = new Map<string, number>();
		const writeAs = (personId: string) => {
			let clientId = clientOf.get(personId);
			if (clientId === undefined) clientOf.set(personId, (clientId = this.unusedClientId()));
			draft.clientID = clientId;
		};
		writeAs(madeBy);
		build(draft, writeAs);
		const wrote = [...clientOf].filter(([, clientId]) => draft.store.clients.has(clientId));
		draft.destroy();
		if (updates.length === 0) return this.flush().then(() => this.lastSeq);
		for (const [personId, clientId] of wrote) {
			this.clientOwners.set(clientId, personId);
			this.newBindings.push({ planId: this.planId, clientId, userId: personId });
		}
		const origin: ServerChangeOrigin = { madeBy, restoredFrom };
		this.doc.transact(() => {
			for (const update of updates) Y.applyUpdate(this.doc, update);
		}, origin);
		await this.flush();
		if (this.broken) throw new Error('The change could not be saved');
		return this.lastSeq;
	}

	private unusedClientId(): number {
		for (;;) {
			const clientId = Math.floor(Math.random() * 0xffffffff);
			if (!this.clientOwners.has(clientId) && !this.doc.store.clients.has(clientId)) return clientId;
		}
	}

	private collectChange(update: Uint8Array, origin: unknown, summary: ChangeSummary): void {
		if (origin === LOADING) return;
		if (isServerChange(origin)) {
			const noted = origin.restoredFrom === undefined ? summary : { ...summary, restoredFrom: origin.restoredFrom };
			this.pending.push({ update, summary: noted, author: null, messageNumber: 0, madeBy: origin.madeBy });
			this.committing ??= this.commitPending().catch((error: unknown) => this.fail(error));
			return;
		}
		const source = origin as { connection: CollabConnection; number: number } | null;
		if (!source?.connection) throw new Error('A change reached a plan without an author');
		this.pending.push({ update, summary, author: source.connection, messageNumber: source.number });
		if (source.connection.uncommitted.at(-1) !== source.number) source.connection.uncommitted.push(source.number);
		this.committing ??= this.commitPending().catch((error: unknown) => this.fail(error));
	}

	private runCommitCallbacks(): void {
		for (const callback of this.whenCommitted.splice(0)) {
			try {
				callback();
			} catch (error) {
				logError('error after a commit', error);
			}
		}
	}

	/** Runs `callback` once everything applied so far is committed. */
	private afterCommits(callback: () => void): void {
		if (!this.committing && this.pending.length === 0) callback();
		else this.whenCommitted.push(callback);
	}

	/** Group commit: all changes that arrived while the previous commit ran go into the next one. */
	private async commitPending(): Promise<void> {
		// Let changes that arrive in the same turn of the event loop share the commit.
		await new Promise((resolve) => setImmediate(resolve));
		try {
			while (this.pending.length > 0 && !this.failed) {
				const batch = this.pending.splice(0);
				const bindings = this.newBindings.splice(0);
				const context = this.currentContext();
				const rows: NewPlanUpdate[] = batch.map((change, index) => {
					const clients = [...Y.parseUpdateMeta(change.update).to.keys()];
					const userId = this.authorOf(change, clients);
					return {
						planId: this.planId,
						seq: this.lastSeq + index + 1,
						userId,
						// A restore also writes under its writers' client ids: the row names one of the restorer's own.
						clientId: clients.find((clientId) => this.clientOwners.get(clientId) === userId) ?? clients[0] ?? 0,
						context,
						update: change.update,
						summary: change.summary
					};
				});
				await this.options.commit({ bindings, updates: rows });
				this.lastSeq += rows.length;
				this.publish(batch);
				this.options.onCommitted?.();
			}
		} catch (error) {
			this.fail(error);
			return;
		} finally {
			this.committing = null;
		}
		this.runCommitCallbacks();
		// Up to a quarter later per plan, so plans that started together do not all checkpoint at once.
		if (this.lastSeq - this.checkpointSeq >= this.options.checkpointEvery * (1 + this.checkpointJitter)) {
			await this.checkpoint().catch((error: unknown) => logError(`checkpoint of plan ${this.planId} failed`, error));
		}
	}

	/** After a commit: broadcast each change to everyone else, then tell authors what is saved. */
	private publish(batch: PendingChange[]): void {
		const authors = new Set<CollabConnection>();
		for (const change of batch) {
			const message = encodeMessage(MESSAGE_SYNC, (encoder) => {
				encoding.writeVarUint(encoder, SYNC_UPDATE);
				encoding.writeVarUint8Array(encoder, change.update);
			});
			for (const connection of this.connections) if (connection !== change.author) connection.send(message);
			if (!change.author) continue;
			const queue = change.author.uncommitted;
			while (queue.length > 0 && queue[0]! <= change.messageNumber) queue.shift();
			authors.add(change.author);
		}
		for (const author of authors) this.acknowledge(author);
	}

	/** Sends "saved up to message N": every message before the first uncommitted one. */
	private acknowledge(connection: CollabConnection): void {
		const saved = connection.uncommitted.length > 0 ? connection.uncommitted[0]! - 1 : connection.processed;
		if (saved <= connection.acknowledged) return;
		connection.acknowledged = saved;
		connection.send(encodeMessage(MESSAGE_SAVED, (encoder) => encoding.writeVarUint(encoder, saved)));
	}

	/**
	 * The person a change is stored under: the owner of the client ids whose content it adds when they are all
	 * one person's (content can be integrated late, under another connection), otherwise the connection's person.
	 */
	private authorOf(change: PendingChange, clients: number[]): string {
		if (!change.author) return change.madeBy!;
		const owners = new Set<string>();
		for (const clientId of clients) {
			const owner = this.clientOwners.get(clientId);
			if (owner) owners.add(owner);
		}
		return owners.size === 1 ? [...owners][0]! : change.author.identity.user.id;
	}

	/** Changes committed from now on are `joint` while `running` (after what is pending is stored). */
	async setAppointmentRunning(running: boolean): Promise<void> {
		await this.loaded;
		await this.flush();
		this.appointmentRunning = running;
	}

	/** `joint` while an appointment runs, or the person whose plan it is and a professional are both connected. */
	private currentContext(): 'joint' | 'solo' {
		if (this.appointmentRunning) return 'joint';
		let serviceUser = false;
		let professional = false;
		for (const connection of this.connections) {
			if (connection.identity.user.role === 'service_user') serviceUser = true;
			if (connection.identity.user.role === 'professional') professional = true;
		}
		return serviceUser && professional ? 'joint' : 'solo';
	}

	/** The checkpoint being written, if any: one at a time. */
	private checkpointing: Promise<void> | null = null;
	/** Size of the last checkpoint loaded or stored: about how long encoding the document here would take. */
	private checkpointBytes = 0;

	/**
	 * Stores the merged state so the next load reads one row plus a short tail. A small document is encoded here
	 * (a few milliseconds, less than reading its log back); a big one is merged in a worker thread from the stored
	 * checkpoint and the log after it, so encoding it never holds up the event loop.
	 */
	async checkpoint(): Promise<void> {
		await this.loaded;
		await this.checkpointLoaded();
	}

	private async checkpointLoaded(): Promise<void> {
		// Everything applied is committed, and no checkpoint is under way (its failure is its caller's to log).
		for (;;) {
			await this.flush();
			if (!this.checkpointing) break;
			await this.checkpointing.catch(() => {});
		}
		if (this.failed || this.lastSeq === this.checkpointSeq) return;
		const seq = this.lastSeq;
		const encoded = this.checkpointBytes < ENCODE_CHECKPOINT_HERE_BELOW ? Y.encodeStateAsUpdate(this.doc) : null;
		this.checkpointing = (async () => {
			let state = encoded;
			if (!state) {
				const stored = await loadPlanStateAt(this.db, this.planId, seq);
				state = await runWork(mergeStoredUpdates, { updates: packStoredState(stored.checkpoint, stored.tail) }, 'live');
			}
			await this.storeCheckpoint(seq, state);
		})().finally(() => {
			this.checkpointing = null;
		});
		await this.checkpointing;
	}

	private async storeCheckpoint(seq: number, state: Uint8Array): Promise<void> {
		await writePlanCheckpoint(this.db, this.planId, seq, state);
		this.checkpointSeq = Math.max(this.checkpointSeq, seq);
		this.checkpointBytes = state.byteLength;
	}

	/** Resolves when every change applied so far is committed. */
	flush(): Promise<void> {
		return new Promise((resolve) => this.afterCommits(resolve));
	}

	/** Storage failed: nothing more is acknowledged; everyone reconnects to a reloaded room and resends. */
	private fail(error: unknown): void {
		if (this.failed) return;
		this.failed = true;
		this.pending.length = 0;
		// Sockets close first, so that nothing built from the uncommitted document is sent to anyone.
		this.options.onFailure(this, error);
		this.runCommitCallbacks();
	}

	/** True once the room has failed or been unloaded, and must not be used again. */
	get broken(): boolean {
		return this.failed || this.destroyed;
	}

	destroy(): void {
		this.destroyed = true;
		this.awareness.destroy();
		this.doc.destroy();
	}
}

type AwarenessChange = { added: number[]; updated: number[]; removed: number[] };

const isServerChange = (origin: unknown): origin is ServerChangeOrigin =>
	typeof origin === 'object' && origin !== null && typeof (origin as ServerChangeOrigin).madeBy === 'string';

function encodeMessage(type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, type);
	write(encoder);
	return encoding.toUint8Array(encoder);
}
