import * as decoding from 'lib0/decoding';
import { getContext, setContext } from 'svelte';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { CLOSE_CODES, isFinalCloseCode, MESSAGE_NOTICE, type PresenceUser } from '../shared/collab-protocol.ts';
import { readPlanNotice, type PlanNotice } from '../shared/plan-notices.ts';
import { SaveTracker, type SaveState } from './save-tracking.ts';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'closed';

/** Someone in the plan right now, as the server vouches for them. */
export interface PlanPresence extends PresenceUser {
	/** How many tabs or devices they have open here. */
	connections: number;
	isMe: boolean;
}

/** A notice the server sent while the page was open, numbered for the page's list. */
export interface ReceivedNotice {
	id: number;
	notice: PlanNotice;
}

/** Notices kept on the page at once; older ones make way. */
const NOTICES_KEPT = 3;

/**
 * The live connection to one plan: its Y.Doc (in memory only, never in browser storage), the stock
 * y-websocket provider to /collab/<planId>, the save state and who is here. One per plan page.
 */
export class PlanCollaboration {
	readonly doc = new Y.Doc();
	readonly provider: WebsocketProvider;
	readonly saves = new SaveTracker();
	connection = $state<ConnectionState>('connecting');
	saveState = $state<SaveState>('saved');
	synced = $state(false);
	present = $state<PlanPresence[]>([]);
	/** Why the server ended the connection for good, in plain words. */
	closedReason = $state<string | null>(null);
	/** Notices from the server (appointments, restores), newest last, until dismissed. */
	notices = $state<ReceivedNotice[]>([]);
	private noticeCount = 0;
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- listeners, not state
	private readonly noticeListeners = new Set<(notice: PlanNotice) => void>();
	private stopSaves: () => void;
	private readonly onOnline = () => this.provider.connect();

	constructor(
		planId: string,
		readonly me: PresenceUser
	) {
		const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/collab`;
		this.provider = new WebsocketProvider(url, planId, this.doc, {
			disableBc: true,
			maxBackoffTime: 5000,
			WebSocketPolyfill: this.saves.socketClass(WebSocket)
		});
		this.saves.attach(this.provider, this.doc);
		this.stopSaves = this.saves.subscribe((state) => (this.saveState = state));
		this.provider.awareness.setLocalStateField('user', me);
		this.provider.messageHandlers[MESSAGE_NOTICE] = (_encoder, decoder) => this.receiveNotice(decoder);

		this.provider.on('status', ({ status }) => {
			if (status === 'connected') this.connection = 'connected';
			else if (this.closedReason) this.connection = 'closed';
			else this.connection = navigator.onLine ? (status === 'connecting' && !this.everConnected ? 'connecting' : 'reconnecting') : 'offline';
			if (status === 'connected') this.everConnected = true;
		});
		this.provider.on('sync', (synced: boolean) => (this.synced = synced));
		this.provider.on('closed', ({ code }) => {
			this.closedReason = explainClose(code);
			this.connection = 'closed';
		});
		this.provider.on('connection-close', (event) => {
			// A code the stock client would retry but reconnecting cannot fix is treated as final too.
			if (event && isFinalCloseCode(event.code)) this.closedReason = explainClose(event.code);
		});
		this.provider.awareness.on('change', () => this.refreshPresence());
		window.addEventListener('online', this.onOnline);
		this.refreshPresence();
	}

	private everConnected = false;

	/** A notice as it came over the socket: anything that does not read as one is ignored. */
	private receiveNotice(decoder: decoding.Decoder): void {
		let notice: PlanNotice | null = null;
		try {
			notice = readPlanNotice(JSON.parse(decoding.readVarString(decoder)));
		} catch {
			notice = null;
		}
		if (!notice) return;
		this.notices = [...this.notices, { id: ++this.noticeCount, notice }].slice(-NOTICES_KEPT);
		for (const listener of this.noticeListeners) listener(notice);
	}

	/** Calls `listener` with each notice from now on. @returns a function that stops it. */
	onNotice(listener: (notice: PlanNotice) => void): () => void {
		this.noticeListeners.add(listener);
		return () => this.noticeListeners.delete(listener);
	}

	dismissNotice(id: number): void {
		this.notices = this.notices.filter((received) => received.id !== id);
	}

	private refreshPresence(): void {
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local scratch map; only the array it builds is state
		const people = new Map<string, PlanPresence>();
		for (const [clientId, state] of this.provider.awareness.getStates()) {
			const user = (state as { user?: PresenceUser }).user;
			if (!user?.id) continue;
			const existing = people.get(user.id);
			if (existing) existing.connections += 1;
			else people.set(user.id, { ...user, connections: 1, isMe: clientId === this.doc.clientID || user.id === this.me.id });
		}
		this.present = [...people.values()].sort((a, b) => Number(b.isMe) - Number(a.isMe) || a.name.localeCompare(b.name));
	}

	destroy(): void {
		window.removeEventListener('online', this.onOnline);
		this.stopSaves();
		this.provider.destroy();
		this.doc.destroy();
	}
}

function explainClose(code: number): string {
	switch (code) {
		case CLOSE_CODES.sessionEnded:
			return 'You have been signed out, so changes can no longer be saved. Please sign in again.';
		case CLOSE_CODES.accessRevoked:
			return 'You no longer have access to this plan.';
		case CLOSE_CODES.refusedChange:
			return 'Your last change could not be saved because it does not fit a care plan. Please reload the page; everything saved before it is safe.';
		case CLOSE_CODES.forgedClientId:
		case CLOSE_CODES.malformedMessage:
			return 'Something went wrong with this page’s connection. Please reload the page.';
		default:
			return 'The connection to this plan has ended. Please reload the page.';
	}
}

const KEY = Symbol('plan-collaboration');

export function setPlanCollaboration(collaboration: PlanCollaboration): PlanCollaboration {
	return setContext(KEY, collaboration);
}

export function getPlanCollaboration(): PlanCollaboration {
	return getContext<PlanCollaboration>(KEY);
}
