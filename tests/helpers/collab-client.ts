import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { SaveTracker } from '../../src/lib/editor/save-tracking.ts';

/** A stock y-websocket client in Node, with the browser's cookie and Origin, and our save tracking. */
export interface CollabClient {
	doc: Y.Doc;
	provider: WebsocketProvider;
	saves: SaveTracker;
	/** Close events the socket saw, newest last. */
	closes: { code: number; reason: string }[];
	/** Resolves when the first sync with the server is complete. */
	synced(): Promise<void>;
	destroy(): void;
}

// Every stock provider in Node adds a process 'exit' listener; tests open many.
process.setMaxListeners(Math.max(process.getMaxListeners(), 500));

export function connectCollabClient(
	baseUrl: string,
	planId: string,
	options: { cookie?: string; origin?: string; doc?: Y.Doc; connect?: boolean } = {}
): CollabClient {
	const doc = options.doc ?? new Y.Doc();
	const headers: Record<string, string> = { origin: options.origin ?? baseUrl };
	if (options.cookie) headers.cookie = options.cookie;
	const saves = new SaveTracker();
	class BrowserLikeSocket extends WebSocket {
		constructor(url: string, protocols?: string | string[]) {
			super(url, protocols, { headers });
		}
	}
	const provider = new WebsocketProvider(baseUrl.replace(/^http/, 'ws') + '/collab', planId, doc, {
		WebSocketPolyfill: saves.socketClass(BrowserLikeSocket) as unknown as typeof globalThis.WebSocket,
		disableBc: true,
		connect: options.connect ?? true,
		maxBackoffTime: 500
	});
	saves.attach(provider, doc);
	// As the browser does (its caret extension sets `user`); the server replaces the value with the real identity.
	provider.awareness.setLocalStateField('user', {});
	const closes: { code: number; reason: string }[] = [];
	provider.on('connection-close', (event) => {
		if (event) closes.push({ code: event.code, reason: event.reason });
	});
	return {
		doc,
		provider,
		saves,
		closes,
		synced: () =>
			new Promise((resolve) => {
				if (provider.synced) return resolve();
				const onSync = (synced: boolean) => {
					if (!synced) return;
					provider.off('sync', onSync);
					resolve();
				};
				provider.on('sync', onSync);
			}),
		destroy: () => {
			provider.destroy();
			doc.destroy();
		}
	};
}

/** The clients a test file has open, so that each test can close them all when it ends. */
export interface CollabClientPool {
	/** Opens the plan as the person with this cookie; resolves once the client has everything the server has. */
	open(baseUrl: string, planId: string, cookie: string): Promise<CollabClient>;
	/** Closes every client opened so far. */
	closeAll(): void;
}

/** A pool of collaboration clients, for a test file that opens editors in many tests. */
export function createCollabClientPool(): CollabClientPool {
	const openClients: CollabClient[] = [];
	return {
		async open(baseUrl, planId, cookie) {
			const client = connectCollabClient(baseUrl, planId, { cookie });
			openClients.push(client);
			await client.synced();
			return client;
		},
		closeAll() {
			for (const client of openClients.splice(0)) client.destroy();
		}
	};
}

/** Polls until `check` stops throwing (for values that arrive over the network), then returns its result. */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 10_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		try {
			return await check();
		} catch (error) {
			if (Date.now() > deadline) throw error;
			await new Promise((resolve) => setTimeout(resolve, 25));
		}
	}
}
