import * as decoding from 'lib0/decoding';
import { getContext, setContext } from 'svelte';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { m } from '../paraglide/messages.js';
import { connectionEndOf, isFinalCloseCode, MESSAGE_NOTICE, type ConnectionEnd, type PresenceUser } from '../shared/collab-protocol.ts';
import { GOALS_FIELD, PLAN_SECTIONS, sectionField } from '../shared/plan-sections.ts';
import { readPlanNotice, type PlanNotice } from '../shared/plan-notices.ts';
import { SESSION_ACTIVITY_PATH } from '../shared/session-activity.ts';
import { ChangeLimit } from './change-limit.svelte.ts';
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
	/** Why this page can no longer save, once the server has said so (a final close code); null while it can. */
	ended = $state<ConnectionEnd | null>(null);
	/** What people may change: nothing once ended, and no change larger than the server accepts. */
	readonly changes: ChangeLimit;
	/** Per Yjs client id this page has written with: its clock when everything was last saved. */
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- read on demand (unsavedWords), never rendered
	private readonly savedClocks = new Map<number, number>();
	/** Notices from the server (appointments, restores), newest last, until dismissed. */
	notices = $state<ReceivedNotice[]>([]);
	private noticeCount = 0;
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- listeners, not state
	private readonly noticeListeners = new Set<(notice: PlanNotice) => void>();
	private stopSaves: () => void;
	/** Back online: try at once, unless the plan can no longer be saved (then only signing in again reconnects). */
	private readonly onOnline = () => {
		if (!this.ended) this.provider.connect();
	};

	constructor(
		planId: string,
		readonly me: PresenceUser
	) {
		const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/collab`;
		this.provider = new WebsocketProvider(url, planId, this.doc, {
			disableBc: true,
			maxBackoffTime: 5000,
			WebSocketPolyfill: this.saves.socketClass(WebSocket),
			shouldReconnect: (event) => !isFinalCloseCode(event.code)
		});
		this.changes = new ChangeLimit(this.doc, (origin) => origin !== this.provider);
		this.doc.on('update', (_update: Uint8Array, origin: unknown) => {
			if (origin !== this.provider && !this.savedClocks.has(this.doc.clientID)) this.savedClocks.set(this.doc.clientID, 0);
		});
		this.saves.attach(this.provider, this.doc);
		this.stopSaves = this.saves.subscribe((state) => {
			this.saveState = state;
			if (state !== 'saved') return;
			this.changes.saved();
			for (const clientId of this.savedClocks.keys()) this.savedClocks.set(clientId, Y.getState(this.doc.store, clientId));
		});
		this.provider.awareness.setLocalStateField('user', me);
		this.provider.messageHandlers[MESSAGE_NOTICE] = (_encoder, decoder) => this.receiveNotice(decoder);

		this.provider.on('status', ({ status }) => {
			if (status === 'connected') this.connection = 'connected';
			else if (this.ended) this.connection = 'closed';
			else this.connection = navigator.onLine ? (status === 'connecting' && !this.everConnected ? 'connecting' : 'reconnecting') : 'offline';
			if (status === 'connected') this.everConnected = this.socketOpened = true;
		});
		this.provider.on('sync', (synced: boolean) => (this.synced = synced));
		// The provider stops reconnecting after a final code (shouldReconnect): the page stops taking changes and
		// keeps what was not saved in its document, to send after signing in again or to copy.
		this.provider.on('closed', ({ code }) => this.end(connectionEndOf(code)));
		this.provider.on('connection-close', () => {
			this.failedOpens = this.socketOpened ? 0 : this.failedOpens + 1;
			this.socketOpened = false;
			if (this.failedOpens >= 2) void this.checkStillSignedIn();
		});
		this.provider.awareness.on('change', () => this.refreshPresence());
		window.addEventListener('online', this.onOnline);
		this.refreshPresence();
	}

	private everConnected = false;
	/** The current socket opened; sockets in a row that closed before opening. */
	private socketOpened = false;
	private failedOpens = 0;
	private checkingSignIn = false;

	private end(why: ConnectionEnd): void {
		this.ended = why;
		this.changes.accepting = false;
		this.connection = 'closed';
	}

	/**
	 * Sockets that keep failing to open may be refused for a session that ended while this page was not connected
	 * (HTTP 401, which a page cannot see). Asking how long the session has left says which, without side effects (it
	 * is no activity): 401 for anyone not signed in completely. Retrying cannot help them, so the page stops and
	 * offers to sign in again.
	 */
	private async checkStillSignedIn(): Promise<void> {
		if (this.checkingSignIn || this.ended || !navigator.onLine) return;
		this.checkingSignIn = true;
		try {
			const answer = await fetch(SESSION_ACTIVITY_PATH, { cache: 'no-store', credentials: 'same-origin' });
			if (answer.status === 401 && !this.ended && !this.provider.wsconnected) {
				this.provider.disconnect();
				this.end('not-signed-in');
			}
		} catch {
			// Chorus cannot be reached at all: the provider keeps retrying.
		} finally {
			this.checkingSignIn = false;
		}
	}

	/**
	 * Connects again after the person signed in again: the catch-up of the new connection sends everything the
	 * server lacks, so nothing typed before is lost.
	 */
	resume(): void {
		this.ended = null;
		this.failedOpens = 0;
		this.changes.accepting = true;
		this.provider.connect();
	}

	/**
	 * The words this page wrote since everything was last saved, by section, for the person to keep a copy of when
	 * they cannot be sent (text only: formatting, and what was deleted, are not in it).
	 */
	unsavedWords(): { title: string; text: string }[] {
		const pieces = (type: Y.AbstractType<unknown>, into: string[]): string[] => {
			if (type instanceof Y.Text) {
				let words = '';
				for (let item = type._start; item; item = item.right) {
					const savedClock = this.savedClocks.get(item.id.client);
					if (item.deleted || savedClock === undefined || !(item.content instanceof Y.ContentString)) continue;
					if (item.id.clock + item.length > savedClock) words += item.content.str.slice(Math.max(0, savedClock - item.id.clock));
				}
				if (words.trim()) into.push(words);
			} else if (type instanceof Y.XmlFragment || type instanceof Y.XmlElement || type instanceof Y.Array) {
				for (const child of type.toArray()) if (child instanceof Y.AbstractType) pieces(child, into);
			} else if (type instanceof Y.Map) {
				for (const value of type.values()) if (value instanceof Y.AbstractType) pieces(value, into);
			}
			return into;
		};
		const parts = [
			...PLAN_SECTIONS.map((section) => ({ title: section.title, type: this.doc.getXmlFragment(sectionField(section.id)) as Y.AbstractType<unknown> })),
			{ title: m.plan_goals(), type: this.doc.getArray(GOALS_FIELD) as Y.AbstractType<unknown> }
		];
		return parts.map(({ title, type }) => ({ title, text: pieces(type, []).join('\n') })).filter((part) => part.text);
	}

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

const KEY = Symbol('plan-collaboration');

export function setPlanCollaboration(collaboration: PlanCollaboration): PlanCollaboration {
	return setContext(KEY, collaboration);
}

export function getPlanCollaboration(): PlanCollaboration {
	return getContext<PlanCollaboration>(KEY);
}
