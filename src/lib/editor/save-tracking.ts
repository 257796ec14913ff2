import * as decoding from 'lib0/decoding';
import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { MESSAGE_SAVED, MESSAGE_SYNC, SYNC_STEP_2, SYNC_UPDATE } from '../shared/collab-protocol.ts';

/** What the save indicator says: every local change committed, on its way, or waiting for a connection. */
export type SaveState = 'saved' | 'saving' | 'unsaved';

/** WebSocket.OPEN, the same in browsers and in `ws`. */
const OPEN = 1;

type SocketLike = { send(data: ArrayBufferLike | Uint8Array | ArrayBufferView | Blob | string): void };
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the mixin pattern needs a rest parameter of any[]
type SocketClass = new (...args: any[]) => SocketLike;

/**
 * Follows which local changes the server has committed. The server numbers this client's document messages
 * (sync step 2 and updates) per socket and answers "saved up to N" (MESSAGE_SAVED) after each commit, so
 * the tracker counts what it sends on the current socket and compares. Changes made while disconnected, or
 * sent on a socket that closed before they were acknowledged, travel in the sync step 2 of the next socket.
 */
export class SaveTracker {
	private socket: SocketLike | null = null;
	private sent = 0;
	private acknowledged = 0;
	/** The number of this socket's sync step 2 (our catch-up of changes the server lacks), once sent. */
	private catchUpNumber = 0;
	/** Local changes exist that have not reached a socket which then acknowledged them. */
	private carriedOver = false;
	private provider: WebsocketProvider | null = null;
	private readonly listeners = new Set<(state: SaveState) => void>();

	/**
	 * The socket class to give WebsocketProvider (`WebSocketPolyfill`): the base class (the browser's
	 * WebSocket, or `ws` in Node) with `send` counted.
	 */
	socketClass<T extends SocketClass>(Base: T): T {
		// eslint-disable-next-line @typescript-eslint/no-this-alias
		const tracker = this;
		return class extends Base {
			override send(data: Parameters<SocketLike['send']>[0]): void {
				tracker.onSend(this, data);
				super.send(data);
			}
		} as T;
	}

	/** Starts following a provider (created with `socketClass`) and its document. */
	attach(provider: WebsocketProvider, doc: Y.Doc): void {
		this.provider = provider;
		provider.messageHandlers[MESSAGE_SAVED] = (_encoder, decoder) => this.onSaved(decoding.readVarUint(decoder));
		provider.on('status', () => this.onSocketChange());
		doc.on('update', (_update: Uint8Array, origin: unknown) => {
			if (origin === provider) return;
			// The provider has already sent it if it could (its handler was registered first), under exactly
			// this condition; otherwise it travels with the next connection's catch-up.
			const ws = provider.ws as { readyState: number } | null;
			if (!provider.wsconnected || !ws || ws.readyState !== OPEN) this.carriedOver = true;
			this.notify();
		});
	}

	get state(): SaveState {
		const pending = this.carriedOver || this.sent > this.acknowledged;
		if (!pending) return 'saved';
		return this.provider?.wsconnected ? 'saving' : 'unsaved';
	}

	/** Calls `listener` with the state now and on every change. @returns a function that stops it. */
	subscribe(listener: (state: SaveState) => void): () => void {
		this.listeners.add(listener);
		listener(this.state);
		return () => this.listeners.delete(listener);
	}

	/** Resolves once everything changed locally so far is committed on the server. */
	whenSaved(): Promise<void> {
		return new Promise((resolve) => {
			const stop = this.subscribe((state) => {
				if (state !== 'saved') return;
				queueMicrotask(() => stop());
				resolve();
			});
		});
	}

	private onSend(socket: SocketLike, data: unknown): void {
		if (!(data instanceof Uint8Array) && !(data instanceof ArrayBuffer)) return;
		const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
		if (bytes[0] !== MESSAGE_SYNC || (bytes[1] !== SYNC_STEP_2 && bytes[1] !== SYNC_UPDATE)) return;
		if (socket !== this.socket) this.useSocket(socket);
		this.sent += 1;
		if (bytes[1] === SYNC_STEP_2 && this.catchUpNumber === 0) this.catchUpNumber = this.sent;
		this.notify();
	}

	private useSocket(socket: SocketLike | null): void {
		// Whatever the old socket did not get acknowledged is carried over to the next catch-up.
		if (this.sent > this.acknowledged) this.carriedOver = true;
		this.socket = socket;
		this.sent = 0;
		this.acknowledged = 0;
		this.catchUpNumber = 0;
	}

	private onSocketChange(): void {
		const current = (this.provider?.ws as SocketLike | null) ?? null;
		if (current !== this.socket) this.useSocket(current);
		this.notify();
	}

	private onSaved(upTo: number): void {
		this.acknowledged = Math.max(this.acknowledged, upTo);
		if (this.carriedOver && this.catchUpNumber > 0 && this.acknowledged >= this.catchUpNumber && this.acknowledged >= this.sent) {
			this.carriedOver = false;
		}
		this.notify();
	}

	private notify(): void {
		const state = this.state;
		for (const listener of this.listeners) listener(state);
	}
}
