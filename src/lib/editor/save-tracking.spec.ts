import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { MESSAGE_SAVED } from '../shared/collab-protocol.ts';
import { SaveTracker } from './save-tracking.ts';

/**
 * Just enough of WebsocketProvider to drive the tracker the way y-websocket 3 does: it sends a local update
 * only while connected with an open socket, and reports socket changes through 'status'.
 */
class FakeProvider {
	wsconnected = false;
	ws: { readyState: number; send(data: Uint8Array): void } | null = null;
	messageHandlers: ((encoder: encoding.Encoder, decoder: decoding.Decoder) => void)[] = [];
	private statusListeners: (() => void)[] = [];
	readonly Socket: new () => { readyState: number; send(data: Uint8Array): void };

	constructor(
		readonly doc: Y.Doc,
		tracker: SaveTracker
	) {
		class Base {
			readyState = 1;
			send(_data: Uint8Array): void {}
		}
		this.Socket = tracker.socketClass(Base);
		doc.on('update', (update: Uint8Array, origin: unknown) => {
			if (origin === this || !this.wsconnected || this.ws?.readyState !== 1) return;
			this.ws.send(message(0, 2, update));
		});
	}

	on(event: string, listener: () => void): void {
		if (event === 'status') this.statusListeners.push(listener);
	}

	connect(): void {
		this.ws = new this.Socket();
		this.wsconnected = true;
		for (const listener of this.statusListeners) listener();
	}

	/** The catch-up a real client sends in answer to the server's sync step 1. */
	sendCatchUp(): void {
		this.ws!.send(message(0, 1, Y.encodeStateAsUpdate(this.doc)));
	}

	disconnect(): void {
		this.ws = null;
		this.wsconnected = false;
		for (const listener of this.statusListeners) listener();
	}

	/** The server says: your first `n` document messages on this socket are committed. */
	saved(n: number): void {
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, n);
		this.messageHandlers[MESSAGE_SAVED]!(encoding.createEncoder(), decoding.createDecoder(encoding.toUint8Array(encoder)));
	}
}

function message(type: number, step: number, payload: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, type);
	encoding.writeVarUint(encoder, step);
	encoding.writeVarUint8Array(encoder, payload);
	return encoding.toUint8Array(encoder);
}

function setup() {
	const doc = new Y.Doc();
	const tracker = new SaveTracker();
	const provider = new FakeProvider(doc, tracker);
	tracker.attach(provider as unknown as WebsocketProvider, doc);
	return { doc, tracker, provider, type: (text: string) => doc.getText('t').insert(doc.getText('t').length, text) };
}

describe('the save indicator', () => {
	it('says saved only when the server has confirmed every message sent on this socket', () => {
		const { tracker, provider, type } = setup();
		provider.connect();
		provider.sendCatchUp();
		provider.saved(1);
		expect(tracker.state).toBe('saved');
		type('a');
		type('b');
		expect(tracker.state).toBe('saving');
		provider.saved(2);
		expect(tracker.state).toBe('saving');
		provider.saved(3);
		expect(tracker.state).toBe('saved');
	});

	it('keeps offline changes unsaved until the next connection’s catch-up is confirmed', () => {
		const { tracker, provider, type } = setup();
		type('written before any connection');
		expect(tracker.state).toBe('unsaved');
		provider.connect();
		expect(tracker.state).toBe('saving');
		type('x'); // sent before the catch-up; confirming it alone must not count as saved
		provider.saved(1);
		expect(tracker.state).toBe('saving');
		provider.sendCatchUp();
		provider.saved(2);
		expect(tracker.state).toBe('saved');
	});

	it('carries over what a dropped socket never confirmed', () => {
		const { tracker, provider, type } = setup();
		provider.connect();
		provider.sendCatchUp();
		provider.saved(1);
		type('lost in flight');
		provider.disconnect();
		expect(tracker.state).toBe('unsaved');
		provider.connect();
		provider.saved(5); // a stale number from nowhere does not help: the catch-up was not sent yet
		expect(tracker.state).toBe('saving');
		provider.sendCatchUp();
		provider.saved(1);
		expect(tracker.state).toBe('saved');
	});

	it('does not count an edit made while the socket is closing as sent', () => {
		const { tracker, provider, type } = setup();
		provider.connect();
		provider.sendCatchUp();
		provider.saved(1);
		provider.ws!.readyState = 2; // CLOSING: y-websocket does not send
		type('typed while closing');
		expect(tracker.state).toBe('saving');
		provider.disconnect();
		expect(tracker.state).toBe('unsaved');
	});
});
