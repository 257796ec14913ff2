import { logError } from '../../db/errors.ts';
import type { RoomFanOut } from './fan-out.ts';
import type { PlanNotice } from '../../src/lib/shared/plan-notices.ts';
import { noticeMessage } from './messages.ts';
import type { PlanStore } from './plan-store.ts';
import { Room } from './room.ts';

export interface RoomRegistryOptions {
	store: PlanStore;
	fanOut: RoomFanOut;
	checkpointEvery: number;
	/** How long an empty room stays loaded, so a reload of the page does not reload the plan. */
	idleUnloadMs: number;
	/** After changes to a plan were committed. */
	onCommitted?(planId: string): void;
}

/**
 * The process's loaded rooms, one per plan: loaded on first use, dropped when storage fails (everyone reconnects
 * to a reloaded room), unloaded once idle after a checkpoint — and a plan's next room loads only after the
 * previous one has stored everything.
 */
export class RoomRegistry {
	private readonly rooms = new Map<string, Room>();
	/** Rooms being unloaded: their last commits and checkpoint, which a new room of the plan waits for. */
	private readonly unloading = new Map<string, Promise<void>>();
	private readonly unloadTimers = new Map<string, NodeJS.Timeout>();
	private closing = false;

	constructor(private readonly options: RoomRegistryOptions) {}

	/** The plan's loaded room, or a new one (which starts loading). */
	roomFor(planId: string): Room {
		const timer = this.unloadTimers.get(planId);
		if (timer) {
			clearTimeout(timer);
			this.unloadTimers.delete(planId);
		}
		let room = this.rooms.get(planId);
		if (!room || room.broken) {
			const { store, fanOut, checkpointEvery, onCommitted } = this.options;
			room = new Room(planId, {
				store,
				fanOut,
				checkpointEvery,
				previous: this.unloading.get(planId),
				onFailure: (failed, error) => this.fail(failed, error),
				onCommitted: onCommitted && (() => onCommitted(planId))
			});
			this.rooms.set(planId, room);
		}
		return room;
	}

	/** The plan's loaded room, if any. */
	get(planId: string): Room | undefined {
		return this.rooms.get(planId);
	}

	/** A room that could not be loaded: the next connection loads the plan afresh. */
	forget(room: Room): void {
		if (this.rooms.get(room.planId) === room) this.rooms.delete(room.planId);
	}

	/**
	 * Tells everyone in the plan: every socket subscribed to its channel (on every node, once the fan-out spans
	 * nodes). Goes straight to the fan-out: it needs no loaded room, and never touches a room's document.
	 */
	announce(planId: string, notice: PlanNotice): void {
		this.options.fanOut.publish(planId, noticeMessage(notice));
	}

	/** Resolves once the plan's room being unloaded (if any) has stored everything. */
	unloaded(planId: string): Promise<void> | undefined {
		return this.unloading.get(planId);
	}

	/** Figures for tests and benchmarks. */
	stats(): { rooms: number; connections: number } {
		let connections = 0;
		for (const room of this.rooms.values()) connections += room.connections.size;
		return { rooms: this.rooms.size, connections };
	}

	private fail(room: Room, error: unknown): void {
		logError(`could not save changes to plan ${room.planId}; its editors will reconnect and resend`, error);
		this.forget(room);
		for (const connection of room.connections) connection.close(1011, 'Could not save; reconnecting');
		room.destroy();
	}

	/** Unloads the room after a while if nobody is in it (nor about to be). */
	scheduleUnload(room: Room): void {
		if (this.closing || !isIdle(room) || this.unloadTimers.has(room.planId)) return;
		const timer = setTimeout(() => {
			this.unloadTimers.delete(room.planId);
			if (!isIdle(room) || this.rooms.get(room.planId) !== room) return;
			// From here on, newcomers get a new room, which loads only after this one has stored everything.
			this.rooms.delete(room.planId);
			const stored = room
				.checkpoint()
				.catch((error: unknown) => void logError(`checkpoint of plan ${room.planId} before unloading it failed`, error))
				.finally(() => room.destroy());
			this.unloading.set(room.planId, stored);
			void stored.finally(() => {
				if (this.unloading.get(room.planId) === stored) this.unloading.delete(room.planId);
			});
		}, this.options.idleUnloadMs);
		timer.unref();
		this.unloadTimers.set(room.planId, timer);
	}

	/** Commits and checkpoints every room (their sockets are closed already), then drops them. */
	async close(): Promise<void> {
		this.closing = true;
		for (const timer of this.unloadTimers.values()) clearTimeout(timer);
		this.unloadTimers.clear();
		await Promise.all([
			...[...this.rooms.values()].map((room) =>
				room.checkpoint().catch((error: unknown) => logError(`could not checkpoint plan ${room.planId} at shutdown`, error))
			),
			...this.unloading.values()
		]);
		for (const room of this.rooms.values()) room.destroy();
		this.rooms.clear();
	}
}

const isIdle = (room: Room) => room.connections.size === 0 && room.joining === 0;
