import * as decoding from 'lib0/decoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { logError } from '../../db/errors.ts';
import { summariseChanges, summaryOf, type ChangeSummary } from '../../src/lib/shared/change-summary.ts';
import {
	CLOSE_CODES,
	MESSAGE_AWARENESS,
	MESSAGE_QUERY_AWARENESS,
	MESSAGE_SYNC,
	SYNC_STEP_1,
	SYNC_STEP_2,
	SYNC_UPDATE
} from '../../src/lib/shared/collab-protocol.ts';
import type { ServerChangeBuilder } from '../../src/lib/shared/live-plans.ts';
import { packStoredState } from '../../src/lib/shared/packed-updates.ts';
import { mergeStoredUpdates } from '../../src/lib/shared/plan-replays.ts';
import { hasWorkPool, runWork } from '../../src/lib/shared/work-pool.ts';
import { Attribution } from './attribution.ts';
import { rewriteAwarenessUpdate } from './awareness-guard.ts';
import { Checkpoints } from './checkpoints.ts';
import type { CollabConnection } from './connection.ts';
import { ChangeContext } from './context.ts';
import { LocalFanOut, type RoomFanOut } from './fan-out.ts';
import { GroupCommit } from './group-commit.ts';
import { awarenessMessage, MalformedMessageError, syncStep1Message, syncStep2Message } from './messages.ts';
import type { PlanStore } from './plan-store.ts';
import { draftServerChange } from './server-change.ts';
import { checkPlanUpdate } from './update-guard.ts';

export interface RoomOptions {
	/** Where the plan is read from and committed to. */
	store: PlanStore;
	/** How committed changes and presence reach the plan's connections; by default, this room's own. */
	fanOut?: RoomFanOut;
	/** Write a checkpoint once this many updates were appended since the last one. */
	checkpointEvery: number;
	/** Resolves when the plan's previous room (being unloaded) has stored everything. */
	previous?: Promise<void>;
	/** Called once when the room can no longer guarantee durability and must be dropped. */
	onFailure(room: Room, error: unknown): void;
	/** Called after changes were committed. */
	onCommitted?(): void;
}

/** Origin of transactions that load stored state: they are not new changes. */
const LOADING = Symbol('loading');

/** From this many updates after the checkpoint, a load merges them in a worker thread. */
const MERGE_TAIL_IN_WORKER_FROM = 200;

/** Origin of a change a connection sent: its message number, for the acknowledgement. */
interface ConnectionOrigin {
	connection: CollabConnection;
	number: number;
}

/** Origin of a change the server makes on someone's behalf (a restore). */
interface ServerChangeOrigin {
	madeBy: string;
	restoredFrom?: number;
}

/**
 * One plan's live document, coordinating its parts: messages are read here and checked (update-guard,
 * awareness-guard), who wrote what is decided by attribution, changes are committed, published and acknowledged
 * by the group commit, checkpoints and the joint/solo context have their own modules. Nothing is processed before
 * the stored state is fully loaded.
 */
export class Room {
	readonly doc = new Y.Doc({ gc: true });
	readonly awareness = new awarenessProtocol.Awareness(this.doc);
	readonly connections = new Set<CollabConnection>();
	/** Connections admitted to this room that have not joined yet (waiting for the load). */
	joining = 0;
	readonly loaded: Promise<void>;
	private readonly store: PlanStore;
	private readonly fanOut: RoomFanOut;
	private readonly attribution: Attribution;
	private readonly context = new ChangeContext();
	private readonly commits: GroupCommit;
	private readonly checkpoints: Checkpoints;
	private readonly unsubscribe = new Map<CollabConnection, () => void>();
	private destroyed = false;

	constructor(
		readonly planId: string,
		private readonly options: RoomOptions
	) {
		this.store = options.store;
		this.fanOut = options.fanOut ?? new LocalFanOut();
		this.attribution = new Attribution(planId);
		this.commits = new GroupCommit(planId, this.store, this.fanOut, this.attribution, {
			context: () => this.context.of(this.connections),
			onCommitted: options.onCommitted,
			onFailure: (error) => options.onFailure(this, error),
			checkpointDue: (lastSeq) => this.checkpoints.dueAfterCommit(lastSeq),
			checkpoint: () => this.checkpoint()
		});
		const commits = this.commits;
		this.checkpoints = new Checkpoints(planId, this.store, options.checkpointEvery, {
			doc: this.doc,
			committedSeq: () => commits.lastSeq,
			failed: () => commits.failed,
			flush: () => commits.flush()
		});
		this.awareness.setLocalState(null);
		summariseChanges(this.doc, (origin) => origin === LOADING);
		this.doc.on('update', (update: Uint8Array, origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) =>
			this.collectChange(update, origin, summaryOf(transaction))
		);
		this.awareness.on('update', ({ added, updated, removed }: AwarenessChange) => {
			// Echoed to the sender too, as the stock server does: a lone person's client then hears from the
			// server at least every 15 s and does not think the connection died.
			this.fanOut.publish(this.planId, awarenessMessage(this.awareness, [...added, ...updated, ...removed]));
		});
		this.loaded = this.load();
	}

	/** Highest committed seq. */
	get seq(): number {
		return this.commits.lastSeq;
	}

	private async load(): Promise<void> {
		// The same plan's previous room may still be storing its last changes: read only after it finished.
		await this.options.previous;
		const { state: stored, clients, appointmentRunning } = await this.store.load(this.planId);
		this.context.appointmentRunning = appointmentRunning;
		this.attribution.load(clients);
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
		this.commits.lastSeq = stored.lastSeq;
		this.checkpoints.loaded(stored.checkpointSeq, merged?.byteLength ?? stored.checkpoint?.byteLength ?? 0);
		if (!this.checkpoints.dueOnLoad(stored.lastSeq)) return;
		// The merged state is the checkpoint already. (Not through checkpoint(): that waits for this load to end.)
		if (merged) await this.checkpoints.storeState(stored.lastSeq, merged);
		else await this.checkpoints.write();
	}

	/** Adds a connection once the room is loaded: it gets the server's state vector and everyone's presence. */
	join(connection: CollabConnection): void {
		this.connections.add(connection);
		this.unsubscribe.set(connection, this.fanOut.subscribe(this.planId, connection));
		connection.send(syncStep1Message(this.doc));
		if (this.awareness.getStates().size > 0) connection.send(awarenessMessage(this.awareness));
	}

	/** Removes a connection and the presence it spoke for. */
	leave(connection: CollabConnection): void {
		if (!this.connections.delete(connection)) return;
		this.unsubscribe.get(connection)?.();
		this.unsubscribe.delete(connection);
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
					connection.send(awarenessMessage(this.awareness));
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
			this.commits.afterCommits(() => {
				if (connection.closed || this.broken) return;
				connection.send(syncStep2Message(this.doc, stateVector));
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
		const verdict = checkPlanUpdate(this.doc, update, userId, this.attribution.ownerOf);
		if (!verdict.ok) {
			this.refuse(connection, verdict.problem, verdict.reason);
			return;
		}
		this.attribution.bind(verdict.newClients, userId);
		const origin: ConnectionOrigin = { connection, number };
		Y.applyUpdate(this.doc, update, origin);
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
		if (connection.uncommitted.length === 0) this.commits.afterCommits(() => this.commits.acknowledge(connection));
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

	/** An awareness id now speaks for the asker's person; the same person's new connection (a reconnect) takes it over. */
	private claimAwarenessId(clientId: number, asker: CollabConnection): boolean {
		if (!this.attribution.claim(clientId, asker.identity.user.id, this.doc.clientID)) return false;
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
		const { updates, writers } = draftServerChange(this.doc, madeBy, build, () => this.attribution.unusedClientId(this.doc));
		if (updates.length === 0) return this.flush().then(() => this.seq);
		this.attribution.bindWriters(writers);
		const origin: ServerChangeOrigin = { madeBy, restoredFrom };
		this.doc.transact(() => {
			for (const update of updates) Y.applyUpdate(this.doc, update);
		}, origin);
		await this.flush();
		if (this.broken) throw new Error('The change could not be saved');
		return this.seq;
	}

	private collectChange(update: Uint8Array, origin: unknown, summary: ChangeSummary): void {
		if (origin === LOADING) return;
		if (isServerChange(origin)) {
			const noted = origin.restoredFrom === undefined ? summary : { ...summary, restoredFrom: origin.restoredFrom };
			this.commits.addServerChange(update, noted, origin.madeBy);
			return;
		}
		const source = origin as ConnectionOrigin | null;
		if (!source?.connection) throw new Error('A change reached a plan without an author');
		this.commits.addChange(update, summary, source.connection, source.number);
	}

	/** Changes committed from now on are `joint` while `running` (after what is pending is stored). */
	async setAppointmentRunning(running: boolean): Promise<void> {
		await this.loaded;
		await this.flush();
		this.context.appointmentRunning = running;
	}

	/** Stores the merged state so the next load reads one row plus a short tail (see checkpoints.ts). */
	async checkpoint(): Promise<void> {
		await this.loaded;
		await this.checkpoints.write();
	}

	/** Resolves when every change applied so far is committed. */
	flush(): Promise<void> {
		return this.commits.flush();
	}

	/** True once the room has failed or been unloaded, and must not be used again. */
	get broken(): boolean {
		return this.commits.failed || this.destroyed;
	}

	destroy(): void {
		this.destroyed = true;
		for (const unsubscribe of this.unsubscribe.values()) unsubscribe();
		this.unsubscribe.clear();
		this.awareness.destroy();
		this.doc.destroy();
	}
}

type AwarenessChange = { added: number[]; updated: number[]; removed: number[] };

const isServerChange = (origin: unknown): origin is ServerChangeOrigin =>
	typeof origin === 'object' && origin !== null && typeof (origin as ServerChangeOrigin).madeBy === 'string';
