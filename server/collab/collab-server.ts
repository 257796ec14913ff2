import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { logError } from '../../db/errors.ts';
import type { Database } from '../../db/types.ts';
import { CLOSE_CODES, MAX_MESSAGE_BYTES } from '../../src/lib/shared/collab-protocol.ts';
import type { ServerChangeBuilder } from '../../src/lib/shared/live-plans.ts';
import type { PlanNotice } from '../../src/lib/shared/plan-notices.ts';
import { presenceFor } from '../../src/lib/shared/presence.ts';
import { watchAccess } from './access-watch.ts';
import { DEFAULT_SIGN_IN_RULES, sessionLimitsOf, type SignInRules } from '../config.ts';
import { CollabConnection, DEFAULT_CONNECTION_LIMITS, DocumentBudgets, type ConnectionLimits } from './connection.ts';
import { LocalFanOut, type RoomFanOut } from './fan-out.ts';
import { MalformedMessageError } from './messages.ts';
import type { PlanStore } from './plan-store.ts';
import type { Room } from './room.ts';
import { RoomRegistry } from './rooms.ts';
import { authoriseUpgrade, type ConnectionIdentity } from './upgrade-auth.ts';

export interface CollabServerOptions {
	/** For authorising upgrades and re-checking access. */
	db: Database;
	/** Where plans are read from and committed to. */
	store: PlanStore;
	/** How committed changes and presence reach a plan's connections (by default, within this process). */
	fanOut?: RoomFanOut;
	/** The app's public origin (ORIGIN); without it, the socket must come from the host it was sent to. */
	origin: string | undefined;
	/** Who must have completed a second factor, and when idle staff sessions end (DEFAULT_SIGN_IN_RULES by default). */
	signIn?: SignInRules;
	/** Largest message accepted, in bytes (larger ones close the socket with 1009); MAX_MESSAGE_BYTES by default, the limit the editor keeps to. */
	maxMessageBytes?: number;
	limits?: Partial<ConnectionLimits>;
	/** How long an empty room stays loaded, so a reload of the page does not reload the plan. */
	idleUnloadMs?: number;
	/** How often open sockets are checked against sessions and care teams changed elsewhere. */
	accessSweepMs?: number;
	checkpointEvery?: number;
	/** How often sockets are pinged; one that has not answered the previous ping is cut off. */
	heartbeatMs?: number;
	/** Upgrades being authorised at once; more are answered 503 (pre-authentication flood). */
	maxPendingUpgrades?: number;
	/** After changes to a plan were committed. */
	onCommitted?(planId: string): void;
}

export interface CollabServer {
	/** Handles an HTTP upgrade to /collab/<planId>: 401/403/404 before any socket exists, else a live connection. */
	handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
	/** Closes every socket, commits and checkpoints every room, then stops. */
	close(): Promise<void>;
	/** Figures for tests and benchmarks. */
	stats(): { rooms: number; connections: number };
	/** The loaded room of a plan, if any (tests). */
	room(planId: string): Room | undefined;
	/** Applies a change as `madeBy` in the plan's room (see LivePlans.changePlan). */
	changePlan(planId: string, madeBy: string, build: ServerChangeBuilder, restoredFrom?: number): Promise<number>;
	/** The seq of the last committed change, after every change already applied is stored. */
	committedSeq(planId: string): Promise<number>;
	/** An appointment of the plan started or ended: its room's changes are `joint` while one runs. */
	appointmentChanged(planId: string): Promise<void>;
	/** Sends a notice to every socket in the plan (see LivePlans.announce). */
	announce(planId: string, notice: PlanNotice): void;
}

/**
 * The collaboration socket server: one per process, attached to the HTTP server's 'upgrade' event. It authorises
 * upgrades, reads sockets into their plan's room (rooms.ts, room.ts), pings them, watches access, and shuts down.
 */
export function createCollabServer(options: CollabServerOptions): CollabServer {
	const { db, store } = options;
	const limits: ConnectionLimits = { ...DEFAULT_CONNECTION_LIMITS, ...options.limits };
	const maxPendingUpgrades = options.maxPendingUpgrades ?? 200;
	const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes ?? MAX_MESSAGE_BYTES, perMessageDeflate: false });
	const rooms = new RoomRegistry({
		store,
		fanOut: options.fanOut ?? new LocalFanOut(),
		checkpointEvery: options.checkpointEvery ?? 1000,
		idleUnloadMs: options.idleUnloadMs ?? 30_000,
		onCommitted: options.onCommitted
	});
	/** Every open socket, joined or still waiting for its room to load. */
	const live = new Set<CollabConnection>();
	const documentBudgets = new DocumentBudgets(limits);
	let pendingUpgrades = 0;
	let closing = false;

	function reject(socket: Duplex, status: number, reason: string): void {
		const body = `${reason}\n`;
		socket.end(
			`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
				`Content-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\n\r\n${body}`
		);
	}

	function connect(socket: WebSocket, identity: ConnectionIdentity): void {
		const connection = new CollabConnection(
			socket,
			identity,
			presenceFor(identity.user, identity.access !== 'edit'),
			limits,
			documentBudgets.take(identity.user.id)
		);
		const room = rooms.roomFor(identity.planId);
		live.add(connection);
		room.joining += 1;
		let joined = false;
		const stopJoining = () => {
			if (joined) return;
			joined = true;
			room.joining -= 1;
		};
		// Messages wait in order until the stored plan is fully loaded (within a byte budget).
		const queue: Uint8Array[] = [];
		let queuedBytes = 0;
		let ready = false;

		const process = (data: Uint8Array) => {
			if (connection.closed) return;
			if (room.broken) return connection.close(CLOSE_CODES.serverRestart, 'Plan reloading');
			try {
				room.handleMessage(connection, data);
			} catch (error) {
				if (!(error instanceof MalformedMessageError)) logError('unexpected error handling a collaboration message', error);
				connection.close(CLOSE_CODES.malformedMessage, 'Message could not be read');
			}
		};
		socket.on('message', (raw: RawData, isBinary: boolean) => {
			if (!isBinary) {
				connection.close(CLOSE_CODES.malformedMessage, 'Binary messages only');
				return;
			}
			if (!connection.messageRate.take()) {
				connection.close(CLOSE_CODES.rateLimited, 'Too many messages');
				return;
			}
			const data = raw instanceof Buffer ? new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength) : new Uint8Array(Buffer.concat(raw as Buffer[]));
			if (ready) return process(data);
			queuedBytes += data.byteLength;
			if (queuedBytes > limits.maxBufferedBytes) return connection.close(CLOSE_CODES.tooSlow, 'Too much before the plan was ready');
			queue.push(data);
		});
		socket.on('pong', () => (connection.alive = true));
		socket.on('error', () => connection.close(CLOSE_CODES.malformedMessage, 'Protocol error'));
		socket.on('close', () => {
			connection.closed = true;
			live.delete(connection);
			documentBudgets.release(identity.user.id);
			stopJoining();
			room.leave(connection);
			rooms.scheduleUnload(room);
		});
		room.loaded.then(
			() => {
				stopJoining();
				if (connection.closed) return;
				if (room.broken) return connection.close(CLOSE_CODES.serverRestart, 'Plan reloading');
				room.join(connection);
				ready = true;
				for (const data of queue.splice(0)) process(data);
			},
			(error: unknown) => {
				stopJoining();
				logError(`could not load plan ${room.planId}`, error);
				rooms.forget(room);
				connection.close(1011, 'Plan could not be loaded');
			}
		);
	}

	const signIn = options.signIn ?? DEFAULT_SIGN_IN_RULES;
	const stopWatchingAccess = watchAccess(db, live, options.accessSweepMs ?? 5_000, sessionLimitsOf(signIn));

	// Sockets that died without closing (a phone changing networks) are found by ping and cut off, so they do
	// not linger in presence, in the joint/solo context, or keep a room loaded.
	const heartbeat = setInterval(() => {
		for (const connection of live) {
			if (!connection.alive) {
				connection.socket.terminate();
				continue;
			}
			connection.alive = false;
			connection.socket.ping();
		}
	}, options.heartbeatMs ?? 30_000);
	heartbeat.unref();

	return {
		handleUpgrade(request, socket, head) {
			socket.on('error', () => socket.destroy());
			if (closing) return reject(socket, 503, 'Restarting');
			if (pendingUpgrades >= maxPendingUpgrades) return reject(socket, 503, 'Busy, try again');
			pendingUpgrades += 1;
			authoriseUpgrade(db, request, options.origin, signIn)
				.then((decision) => {
					if (socket.destroyed) return;
					if (!decision.ok) return reject(socket, decision.status, decision.reason);
					if (closing) return reject(socket, 503, 'Restarting');
					wss.handleUpgrade(request, socket, head, (ws) => connect(ws, decision.identity));
				})
				.catch((error: unknown) => {
					logError('error while authorising a collaboration socket', error);
					reject(socket, 500, 'Server error');
				})
				.finally(() => {
					pendingUpgrades -= 1;
				});
		},

		async close() {
			closing = true;
			stopWatchingAccess();
			clearInterval(heartbeat);
			for (const connection of live) connection.close(CLOSE_CODES.serverRestart, 'Server restarting');
			await rooms.close();
			wss.close();
		},

		stats: () => rooms.stats(),

		room: (planId) => rooms.get(planId),

		async changePlan(planId, madeBy, build, restoredFrom) {
			if (closing) throw new Error('The server is shutting down');
			const room = rooms.roomFor(planId);
			room.joining += 1; // keeps the room from being unloaded while the change is made
			try {
				return await room.applyServerChange(madeBy, build, restoredFrom);
			} finally {
				room.joining -= 1;
				rooms.scheduleUnload(room);
			}
		},

		async committedSeq(planId) {
			const room = rooms.get(planId);
			if (room && !room.broken) {
				await room.loaded;
				await room.flush();
				return room.seq;
			}
			await rooms.unloaded(planId);
			return store.lastSeq(planId);
		},

		async appointmentChanged(planId) {
			const room = rooms.get(planId);
			if (room && !room.broken) await room.setAppointmentRunning(await store.appointmentRunning(planId));
		},

		announce(planId, notice) {
			if (!closing) rooms.announce(planId, notice);
		}
	};
}
