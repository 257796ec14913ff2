import type { IncomingMessage } from 'node:http';
import type postgres from 'postgres';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { onAccessChange, type AccessChange } from '../../db/access-events.ts';
import { findRunningAppointment } from '../../db/appointments.ts';
import { logError } from '../../db/errors.ts';
import { lastPlanSeq } from '../../db/plan-log.ts';
import { getPlanAccess, getPlanAccessMany } from '../../db/plans.ts';
import { stillValidSessions } from '../../db/session-check.ts';
import type { Database } from '../../db/types.ts';
import { CLOSE_CODES } from '../../src/lib/shared/collab-protocol.ts';
import type { LivePlans } from '../../src/lib/shared/live-plans.ts';
import { CommitQueue } from './commit-queue.ts';
import { CollabConnection, DEFAULT_CONNECTION_LIMITS, RateLimiter, type ConnectionLimits } from './connection.ts';
import { presenceFor } from '../../src/lib/shared/presence.ts';
import { InvolvementTracker } from '../involvement/tracker.ts';
import { MalformedMessageError, Room } from './room.ts';
import { authoriseUpgrade, type ConnectionIdentity } from './upgrade-auth.ts';

export interface CollabServerOptions {
	db: Database;
	/** Connections of their own for committing live changes (OpenDatabase.commitClient): no long read queues in front. */
	commitClient: postgres.Sql;
	/** The app's public origin (ORIGIN); without it, the socket must come from the host it was sent to. */
	origin: string | undefined;
	/** Largest message accepted, in bytes (larger ones close the socket with 1009). */
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
	/** How long a plan must be quiet before its involvement measures are recomputed. */
	involvementQuietMs?: number;
}

export interface CollabServer extends LivePlans {
	/** Handles an HTTP upgrade to /collab/<planId>: 401/403/404 before any socket exists, else a live connection. */
	handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
	/** Closes every socket, commits and checkpoints every room, then stops. */
	close(): Promise<void>;
	/** Figures for tests and benchmarks. */
	stats(): { rooms: number; connections: number };
	/** The loaded room of a plan, if any (tests). */
	room(planId: string): Room | undefined;
}

/** The collaboration server: one per process, attached to the HTTP server's 'upgrade' event. */
export function createCollabServer(options: CollabServerOptions): CollabServer {
	const { db } = options;
	const limits: ConnectionLimits = { ...DEFAULT_CONNECTION_LIMITS, ...options.limits };
	const idleUnloadMs = options.idleUnloadMs ?? 30_000;
	const maxPendingUpgrades = options.maxPendingUpgrades ?? 200;
	const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes ?? 1024 * 1024, perMessageDeflate: false });
	const rooms = new Map<string, Room>();
	/** Every open socket, joined or still waiting for its room to load. */
	const live = new Set<CollabConnection>();
	/** Rooms being unloaded: their last commits and checkpoint, which a new room of the plan waits for. */
	const unloading = new Map<string, Promise<void>>();
	const commits = new CommitQueue(options.commitClient, db);
	const involvement = new InvolvementTracker(db, options.involvementQuietMs);
	involvement.sweep();
	const unloadTimers = new Map<string, NodeJS.Timeout>();
	/** Per person: the document bytes they may still send (one budget over all their sockets). */
	const documentBudgets = new Map<string, { budget: RateLimiter; sockets: number }>();
	const documentBudgetOf = (userId: string): RateLimiter => {
		let entry = documentBudgets.get(userId);
		if (!entry) documentBudgets.set(userId, (entry = { budget: new RateLimiter(limits.documentBytesPerSecond, limits.documentBytesBurst), sockets: 0 }));
		entry.sockets += 1;
		return entry.budget;
	};
	const releaseDocumentBudget = (userId: string): void => {
		const entry = documentBudgets.get(userId);
		if (!entry || --entry.sockets > 0) return;
		// Kept until it has refilled, so that closing and reopening sockets does not reset it.
		const refilledMs = (limits.documentBytesBurst / limits.documentBytesPerSecond) * 1000;
		setTimeout(() => {
			if (documentBudgets.get(userId)?.sockets === 0) documentBudgets.delete(userId);
		}, refilledMs).unref();
	};
	let pendingUpgrades = 0;
	let closing = false;

	function reject(socket: Duplex, status: number, reason: string): void {
		const body = `${reason}\n`;
		socket.end(
			`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
				`Content-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\n\r\n${body}`
		);
	}

	function roomFor(planId: string): Room {
		const timer = unloadTimers.get(planId);
		if (timer) {
			clearTimeout(timer);
			unloadTimers.delete(planId);
		}
		let room = rooms.get(planId);
		if (!room || room.broken) {
			room = new Room(planId, db, {
				checkpointEvery: options.checkpointEvery ?? 1000,
				commit: (batch) => commits.commit(batch),
				previous: unloading.get(planId),
				onFailure: failRoom,
				onCommitted: () => involvement.markChanged(planId)
			});
			rooms.set(planId, room);
		}
		return room;
	}

	function failRoom(room: Room, error: unknown): void {
		logError(`could not save changes to plan ${room.planId}; its editors will reconnect and resend`, error);
		if (rooms.get(room.planId) === room) rooms.delete(room.planId);
		for (const connection of room.connections) connection.close(1011, 'Could not save; reconnecting');
		room.destroy();
	}

	const isIdle = (room: Room) => room.connections.size === 0 && room.joining === 0;

	function scheduleUnload(room: Room): void {
		if (closing || !isIdle(room) || unloadTimers.has(room.planId)) return;
		const timer = setTimeout(() => {
			unloadTimers.delete(room.planId);
			if (!isIdle(room) || rooms.get(room.planId) !== room) return;
			// From here on, newcomers get a new room, which loads only after this one has stored everything.
			rooms.delete(room.planId);
			const stored = room
				.checkpoint()
				.catch((error: unknown) => void logError(`checkpoint of plan ${room.planId} before unloading it failed`, error))
				.finally(() => room.destroy());
			unloading.set(room.planId, stored);
			void stored.finally(() => {
				if (unloading.get(room.planId) === stored) unloading.delete(room.planId);
			});
		}, idleUnloadMs);
		timer.unref();
		unloadTimers.set(room.planId, timer);
	}

	function connect(socket: WebSocket, identity: ConnectionIdentity): void {
		const connection = new CollabConnection(socket, identity, presenceFor(identity.user, identity.access !== 'edit'), limits, documentBudgetOf(identity.user.id));
		const room = roomFor(identity.planId);
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
			releaseDocumentBudget(identity.user.id);
			stopJoining();
			room.leave(connection);
			scheduleUnload(room);
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
				if (rooms.get(room.planId) === room) rooms.delete(room.planId);
				connection.close(1011, 'Plan could not be loaded');
			}
		);
	}

	function applyAccessChange(change: AccessChange): void {
		for (const connection of live) {
			const { identity } = connection;
			if (change.kind === 'session_ended' && identity.sessionId === change.sessionId) {
				connection.close(CLOSE_CODES.sessionEnded, 'Signed out');
			} else if (change.kind === 'user_signed_out' && identity.user.id === change.userId) {
				connection.close(CLOSE_CODES.sessionEnded, 'Signed out');
			} else if (change.kind === 'plan_access_changed' && identity.user.id === change.userId && identity.planId === change.planId) {
				recheckAccess(connection).catch((error: unknown) => {
					logError('could not re-check access after a care-team change; closing to be safe', error);
					connection.close(CLOSE_CODES.accessRevoked, 'Access changed');
				});
			}
		}
	}

	async function recheckAccess(connection: CollabConnection): Promise<void> {
		const { user, planId, access } = connection.identity;
		if ((await getPlanAccess(db, user, planId)) !== access) connection.close(CLOSE_CODES.accessRevoked, 'Access changed');
	}

	// Sessions and care teams can also change in another process (the CLI on PostgreSQL) or simply expire.
	// Every connection is re-checked once per sweep period; the work is spread over the period in slices so
	// that it never holds up commits (the embedded database runs one query at a time).
	const sweepMs = options.accessSweepMs ?? 5_000;
	const SLICES = 5;
	let slice = 0;
	let sweeping = false;
	const sweep = setInterval(async () => {
		if (sweeping || closing) return;
		sweeping = true;
		slice = (slice + 1) % SLICES;
		try {
			const connections = [...live].filter((connection) => connection.sweepSlice % SLICES === slice);
			if (connections.length === 0) return;
			const valid = await stillValidSessions(db, [...new Set(connections.map((connection) => connection.identity.sessionId))]);
			const access = await getPlanAccessMany(
				db,
				connections.map(({ identity }) => ({ person: identity.user, planId: identity.planId }))
			);
			for (const connection of connections) {
				const { identity } = connection;
				if (!valid.has(identity.sessionId)) connection.close(CLOSE_CODES.sessionEnded, 'Session ended');
				else if (access.get(`${identity.user.id}:${identity.planId}`) !== identity.access) {
					connection.close(CLOSE_CODES.accessRevoked, 'Access changed');
				}
			}
		} catch (error) {
			logError('access check of open plan connections failed', error);
		} finally {
			sweeping = false;
		}
	}, sweepMs / SLICES);
	sweep.unref();
	const stopListening = onAccessChange(applyAccessChange);

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
			authoriseUpgrade(db, request, options.origin)
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
			clearInterval(sweep);
			clearInterval(heartbeat);
			stopListening();
			for (const timer of unloadTimers.values()) clearTimeout(timer);
			unloadTimers.clear();
			for (const connection of live) connection.close(CLOSE_CODES.serverRestart, 'Server restarting');
			await Promise.all([
				...[...rooms.values()].map((room) =>
					room.checkpoint().catch((error: unknown) => logError(`could not checkpoint plan ${room.planId} at shutdown`, error))
				),
				...unloading.values()
			]);
			for (const room of rooms.values()) room.destroy();
			rooms.clear();
			wss.close();
			await involvement.close();
		},

		stats() {
			let connections = 0;
			for (const room of rooms.values()) connections += room.connections.size;
			return { rooms: rooms.size, connections };
		},

		room(planId) {
			return rooms.get(planId);
		},

		async changePlan(planId, madeBy, build, restoredFrom) {
			if (closing) throw new Error('The server is shutting down');
			const room = roomFor(planId);
			room.joining += 1; // keeps the room from being unloaded while the change is made
			try {
				return await room.applyServerChange(madeBy, build, restoredFrom);
			} finally {
				room.joining -= 1;
				scheduleUnload(room);
			}
		},

		async committedSeq(planId) {
			const room = rooms.get(planId);
			if (room && !room.broken) {
				await room.loaded;
				await room.flush();
				return room.seq;
			}
			await unloading.get(planId);
			return lastPlanSeq(db, planId);
		},

		async appointmentChanged(planId) {
			const room = rooms.get(planId);
			if (room && !room.broken) await room.setAppointmentRunning((await findRunningAppointment(db, planId)) !== null);
			involvement.markChanged(planId);
		},

		involvementChanged(planId) {
			involvement.markChanged(planId);
		},

		refreshInvolvement(planIds) {
			return involvement.refreshStale(planIds);
		}
	};
}
