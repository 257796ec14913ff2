import * as Y from 'yjs';
import type { NewPlanUpdate } from '../../db/plan-log.ts';
import { logError } from '../../db/errors.ts';
import type { ChangeSummary } from '../../src/lib/shared/change-summary.ts';
import type { Attribution } from './attribution.ts';
import type { CollabConnection } from './connection.ts';
import type { RoomFanOut } from './fan-out.ts';
import { savedMessage, updateMessage } from './messages.ts';
import type { PlanStore } from './plan-store.ts';

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

/** What the group commit asks of its room. */
export interface GroupCommitHooks {
	/** `joint` or `solo`, for the changes committed now. */
	context(): 'joint' | 'solo';
	/** After a batch was committed and published. */
	onCommitted?(): void;
	/** Storage failed: nothing more will be committed (called once, before anyone waiting hears of it). */
	onFailure(error: unknown): void;
	/** After the commits ran out: whether a checkpoint is due, and writing it. */
	checkpointDue(lastSeq: number): boolean;
	checkpoint(): Promise<void>;
}

/**
 * "Acknowledged means committed" for one plan: changes applied to the live document are appended to the log in
 * grouped commits (all changes that arrive while a commit runs go into the next one), and only then published to
 * everyone else and acknowledged to their authors (MESSAGE_SAVED: "your first N document messages are stored").
 */
export class GroupCommit {
	/** Highest committed seq. */
	lastSeq = 0;
	/** Storage failed: nothing more is committed or acknowledged. */
	failed = false;
	private readonly pending: PendingChange[] = [];
	private readonly whenCommitted: (() => void)[] = [];
	private committing: Promise<void> | null = null;

	constructor(
		private readonly planId: string,
		private readonly store: PlanStore,
		private readonly fanOut: RoomFanOut,
		private readonly attribution: Attribution,
		private readonly hooks: GroupCommitHooks
	) {}

	/** A change from a connection's message `messageNumber`, applied to the live document. */
	addChange(update: Uint8Array, summary: ChangeSummary, author: CollabConnection, messageNumber: number): void {
		this.pending.push({ update, summary, author, messageNumber });
		if (author.uncommitted.at(-1) !== messageNumber) author.uncommitted.push(messageNumber);
		this.committing ??= this.commitPending().catch((error: unknown) => this.fail(error));
	}

	/** A change the server made on `madeBy`'s behalf, applied to the live document. */
	addServerChange(update: Uint8Array, summary: ChangeSummary, madeBy: string): void {
		this.pending.push({ update, summary, author: null, messageNumber: 0, madeBy });
		this.committing ??= this.commitPending().catch((error: unknown) => this.fail(error));
	}

	/** Runs `callback` once everything applied so far is committed. */
	afterCommits(callback: () => void): void {
		if (!this.committing && this.pending.length === 0) callback();
		else this.whenCommitted.push(callback);
	}

	/** Resolves when every change applied so far is committed. */
	flush(): Promise<void> {
		return new Promise((resolve) => this.afterCommits(resolve));
	}

	/** Sends "saved up to message N": every message before the first uncommitted one. */
	acknowledge(connection: CollabConnection): void {
		const saved = connection.uncommitted.length > 0 ? connection.uncommitted[0]! - 1 : connection.processed;
		if (saved <= connection.acknowledged) return;
		connection.acknowledged = saved;
		connection.send(savedMessage(saved));
	}

	/** Storage failed: nothing more is acknowledged; everyone reconnects to a reloaded room and resends. */
	fail(error: unknown): void {
		if (this.failed) return;
		this.failed = true;
		this.pending.length = 0;
		// Sockets close first, so that nothing built from the uncommitted document is sent to anyone.
		this.hooks.onFailure(error);
		this.runCommitCallbacks();
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

	private async commitPending(): Promise<void> {
		// Let changes that arrive in the same turn of the event loop share the commit.
		await new Promise((resolve) => setImmediate(resolve));
		try {
			while (this.pending.length > 0 && !this.failed) {
				const batch = this.pending.splice(0);
				const bindings = this.attribution.takeUnstored();
				const context = this.hooks.context();
				const rows: NewPlanUpdate[] = batch.map((change, index) => {
					const clients = [...Y.parseUpdateMeta(change.update).to.keys()];
					const userId = change.author ? this.attribution.authorOf(clients, change.author.identity.user.id) : change.madeBy!;
					return {
						planId: this.planId,
						seq: this.lastSeq + index + 1,
						userId,
						clientId: this.attribution.rowClientId(clients, userId),
						context,
						update: change.update,
						summary: change.summary
					};
				});
				await this.store.commit({ bindings, updates: rows });
				this.lastSeq += rows.length;
				this.publish(batch);
				this.hooks.onCommitted?.();
			}
		} catch (error) {
			this.fail(error);
			return;
		} finally {
			this.committing = null;
		}
		this.runCommitCallbacks();
		if (this.hooks.checkpointDue(this.lastSeq)) {
			await this.hooks.checkpoint().catch((error: unknown) => logError(`checkpoint of plan ${this.planId} failed`, error));
		}
	}

	/** After a commit: publish each change to everyone else, then tell authors what is saved. */
	private publish(batch: PendingChange[]): void {
		const authors = new Set<CollabConnection>();
		for (const change of batch) {
			this.fanOut.publish(this.planId, updateMessage(change.update), change.author ?? undefined);
			if (!change.author) continue;
			const queue = change.author.uncommitted;
			while (queue.length > 0 && queue[0]! <= change.messageNumber) queue.shift();
			authors.add(change.author);
		}
		for (const author of authors) this.acknowledge(author);
	}
}
