import * as Y from 'yjs';
import { packStoredState } from '../../src/lib/shared/packed-updates.ts';
import { mergeStoredUpdates } from '../../src/lib/shared/plan-replays.ts';
import { runWork } from '../../src/lib/shared/work-pool.ts';
import type { PlanStore } from './plan-store.ts';

/**
 * Below this size a checkpoint is encoded from the live document (about 2 ms for 90 KB); above it, merged in a
 * worker thread from the stored checkpoint and log (reading back 1,000 updates keeps the event loop busy ~5 ms).
 */
const ENCODE_CHECKPOINT_HERE_BELOW = 256 * 1024;

/** The live document a checkpoint is taken of, and what it takes to know everything applied is stored. */
export interface CheckpointSource {
	readonly doc: Y.Doc;
	/** Highest committed seq. */
	committedSeq(): number;
	/** The room can no longer store anything. */
	failed(): boolean;
	/** Resolves when every change applied so far is committed. */
	flush(): Promise<void>;
}

/**
 * A plan's checkpoints: the merged state stored every so many updates, so the next load reads one row plus a short
 * tail. One is written at a time. A small document is encoded here (a few milliseconds, less than reading its log
 * back); a big one is merged in a worker thread from the stored checkpoint and the log after it, so encoding it never
 * holds up the event loop.
 */
export class Checkpoints {
	/** The seq of the latest checkpoint stored. */
	private storedSeq = 0;
	/** Size of the last checkpoint loaded or stored: about how long encoding the document here would take. */
	private bytes = 0;
	/** The checkpoint being written, if any. */
	private writing: Promise<void> | null = null;
	/** Up to a quarter later per plan, so plans that started together do not all checkpoint at once. */
	private readonly jitter = Math.random() / 4;

	/** @param every write a checkpoint once this many updates were appended since the last one */
	constructor(
		private readonly planId: string,
		private readonly store: PlanStore,
		private readonly every: number,
		private readonly source: CheckpointSource
	) {}

	/** Notes the checkpoint a load started from, and the size of the state it loaded. */
	loaded(seq: number, bytes: number): void {
		this.storedSeq = seq;
		this.bytes = bytes;
	}

	/** A load read this far past the checkpoint: write one now. */
	dueOnLoad(lastSeq: number): boolean {
		return lastSeq - this.storedSeq >= this.every;
	}

	/** Commits reached this far past the checkpoint (with this plan's jitter): write one now. */
	dueAfterCommit(lastSeq: number): boolean {
		return lastSeq - this.storedSeq >= this.every * (1 + this.jitter);
	}

	/** Stores a state merged elsewhere (the merged load) as the checkpoint at `seq`. */
	async storeState(seq: number, state: Uint8Array): Promise<void> {
		await this.store.writeCheckpoint(this.planId, seq, state);
		this.storedSeq = Math.max(this.storedSeq, seq);
		this.bytes = state.byteLength;
	}

	/** Checkpoints everything applied so far, once it is committed (nothing when the checkpoint is current). */
	async write(): Promise<void> {
		// Everything applied is committed, and no checkpoint is under way (its failure is its caller's to log).
		for (;;) {
			await this.source.flush();
			if (!this.writing) break;
			await this.writing.catch(() => {});
		}
		const seq = this.source.committedSeq();
		if (this.source.failed() || seq === this.storedSeq) return;
		const encoded = this.bytes < ENCODE_CHECKPOINT_HERE_BELOW ? Y.encodeStateAsUpdate(this.source.doc) : null;
		this.writing = (async () => {
			let state = encoded;
			if (!state) {
				const stored = await this.store.loadStateAt(this.planId, seq);
				state = await runWork(mergeStoredUpdates, { updates: packStoredState(stored.checkpoint, stored.tail) }, 'live');
			}
			await this.storeState(seq, state);
		})().finally(() => {
			this.writing = null;
		});
		await this.writing;
	}
}
