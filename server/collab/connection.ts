import { CLOSE_CODES, type PresenceUser } from '../../src/lib/shared/collab-protocol.ts';
import type { ConnectionIdentity } from './upgrade-auth.ts';

/** Per-connection limits (see the README for the defaults' reasoning). */
export interface ConnectionLimits {
	/** Document and control messages per second, sustained; bursts up to messageBurst. */
	messagesPerSecond: number;
	messageBurst: number;
	/** Awareness (presence and caret) messages per second; extra ones are dropped, not failed. */
	awarenessPerSecond: number;
	awarenessBurst: number;
	/** Largest awareness message accepted. */
	maxAwarenessBytes: number;
	/** Close a socket whose unsent data grows past this (its client resyncs when it reconnects). */
	maxBufferedBytes: number;
	/**
	 * Bytes of document changes one person may send per second, over all their sockets, and in a burst. Reading a
	 * change costs time in proportion to its size, so this bounds what one person can make the server do.
	 */
	documentBytesPerSecond: number;
	documentBytesBurst: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
	messagesPerSecond: 100,
	messageBurst: 400,
	awarenessPerSecond: 30,
	awarenessBurst: 60,
	maxAwarenessBytes: 16 * 1024,
	maxBufferedBytes: 8 * 1024 * 1024,
	documentBytesPerSecond: 256 * 1024,
	documentBytesBurst: 2 * 1024 * 1024
};

/** A token bucket: `take(amount)` is false once the rate is exceeded (and then takes nothing). */
export class RateLimiter {
	private tokens: number;
	private last = performance.now();

	constructor(
		private readonly perSecond: number,
		private readonly burst: number
	) {
		this.tokens = burst;
	}

	take(amount = 1): boolean {
		const now = performance.now();
		this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
		this.last = now;
		if (this.tokens < amount) return false;
		this.tokens -= amount;
		return true;
	}
}

/**
 * Per person: the document bytes they may still send, one budget over all their sockets in this process. Kept until
 * it has refilled after their last socket closed, so that closing and reopening sockets does not reset it.
 */
export class DocumentBudgets {
	private readonly budgets = new Map<string, { budget: RateLimiter; sockets: number }>();

	constructor(private readonly limits: ConnectionLimits) {}

	/** The person's budget, for one more socket of theirs. */
	take(userId: string): RateLimiter {
		let entry = this.budgets.get(userId);
		if (!entry) this.budgets.set(userId, (entry = { budget: new RateLimiter(this.limits.documentBytesPerSecond, this.limits.documentBytesBurst), sockets: 0 }));
		entry.sockets += 1;
		return entry.budget;
	}

	/** One of the person's sockets closed. */
	release(userId: string): void {
		const entry = this.budgets.get(userId);
		if (!entry || --entry.sockets > 0) return;
		const refilledMs = (this.limits.documentBytesBurst / this.limits.documentBytesPerSecond) * 1000;
		setTimeout(() => {
			if (this.budgets.get(userId)?.sockets === 0) this.budgets.delete(userId);
		}, refilledMs).unref();
	}
}

/** What a connection uses of its socket (a `ws` WebSocket in the server). */
export interface PeerSocket {
	readonly bufferedAmount: number;
	send(message: Uint8Array, options: { binary: boolean }, callback: (error?: Error) => void): void;
	close(code: number, reason: string): void;
	terminate(): void;
	ping(): void;
}

/** One person's socket in a plan's room, with its bookkeeping for acknowledgements and limits. */
export class CollabConnection {
	/** Document messages (sync step 2 and update) received so far; each gets the next number. */
	received = 0;
	/** The highest document message number fully processed. */
	processed = 0;
	/** Numbers of processed messages whose changes are not committed yet, oldest first. */
	readonly uncommitted: number[] = [];
	/** The highest number acknowledged to the client as saved. */
	acknowledged = 0;
	/** Awareness client ids this connection speaks for. */
	readonly awarenessIds = new Set<number>();
	/** Per awareness id: what is added to the client's clock so that others see it move forward (see awareness-guard). */
	readonly awarenessClockOffsets = new Map<number, number>();
	/** Which slice of the periodic access sweep re-checks this connection. */
	readonly sweepSlice = Math.floor(Math.random() * 1000);
	readonly messageRate: RateLimiter;
	readonly awarenessRate: RateLimiter;
	closed = false;
	/** Answered the last heartbeat ping. */
	alive = true;
	/** Sync step 1 requests so far: each costs a full encoding of the plan, so a few are allowed. */
	syncRequests = 0;

	constructor(
		readonly socket: PeerSocket,
		readonly identity: ConnectionIdentity,
		readonly presence: PresenceUser,
		readonly limits: ConnectionLimits,
		/** The person's budget of document bytes, shared by all their sockets in this process. */
		readonly documentBytes: RateLimiter
	) {
		this.messageRate = new RateLimiter(limits.messagesPerSecond, limits.messageBurst);
		this.awarenessRate = new RateLimiter(limits.awarenessPerSecond, limits.awarenessBurst);
	}

	get canEdit(): boolean {
		return this.identity.access === 'edit';
	}

	/** Sends a binary message, or closes the socket if it cannot keep up. */
	send(message: Uint8Array): void {
		if (this.closed) return;
		if (this.socket.bufferedAmount > this.limits.maxBufferedBytes) {
			this.close(CLOSE_CODES.tooSlow, 'Connection too slow; reconnect to resynchronise');
			return;
		}
		this.socket.send(message, { binary: true }, (error) => {
			if (error) this.close(1011, 'Send failed');
		});
	}

	close(code: number, reason: string): void {
		if (this.closed) return;
		this.closed = true;
		try {
			this.socket.close(code, reason);
		} catch {
			this.socket.terminate();
		}
		// A socket that does not finish the closing handshake is cut off.
		setTimeout(() => this.socket.terminate(), 2_000).unref();
	}
}
