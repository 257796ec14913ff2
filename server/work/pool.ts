import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina, queueOptionsSymbol, type PiscinaTask, type TaskQueue } from 'piscina';
import { registerWorkPool, type WorkPool, type WorkPriority } from '../../src/lib/shared/work-pool.ts';
import { ConfigError } from '../config.ts';
import type { WorkRequest } from './tasks.ts';

/** The threads' entry: plain JavaScript that makes TypeScript loadable in its thread, then loads ./tasks.ts. */
const WORKER_ENTRY = fileURLToPath(new URL('./worker.mjs', import.meta.url));

/** Tasks per thread that may wait in the pool's queue; more wait outside it, holding no thread's memory. */
const QUEUED_PER_THREAD = 8;

const RANK: Record<WorkPriority, number> = { live: 0, request: 1, background: 2 };

/**
 * Threads for heavy work: WORK_THREADS, or every core but one (at least one), so that the live event loop always
 * has a core of its own.
 */
export function readWorkThreads(env: NodeJS.ProcessEnv): number {
	const raw = env.WORK_THREADS?.trim();
	if (!raw) return Math.max(1, availableParallelism() - 1);
	const threads = Number(raw);
	if (!Number.isInteger(threads) || threads < 1 || threads > 64) throw new ConfigError(`WORK_THREADS must be a whole number from 1 to 64, not "${raw}".`);
	return threads;
}

type QueuedTask = PiscinaTask & { [queueOptionsSymbol]?: { priority?: WorkPriority } | null };

const rankOf = (task: QueuedTask): number => RANK[task[queueOptionsSymbol]?.priority ?? 'request'];

/** Piscina's queue, highest priority first and in order of arrival within a priority. */
export class PriorityTaskQueue implements TaskQueue {
	private readonly queues: QueuedTask[][] = [[], [], []];

	get size(): number {
		return this.queues.reduce((sum, queue) => sum + queue.length, 0);
	}

	push(task: QueuedTask): void {
		this.queues[rankOf(task)]!.push(task);
	}

	unshift(task: QueuedTask): void {
		this.queues[rankOf(task)]!.unshift(task);
	}

	shift(): QueuedTask | null {
		for (const queue of this.queues) if (queue.length > 0) return queue.shift()!;
		return null;
	}

	remove(task: QueuedTask): void {
		const queue = this.queues[rankOf(task)]!;
		const index = queue.indexOf(task);
		if (index !== -1) queue.splice(index, 1);
	}
}

export interface RunningWorkPool extends WorkPool {
	readonly threads: number;
	/** Tasks running or queued in the pool now, and callers waiting for room in its queue. */
	stats(): { admitted: number; waiting: number; completed: number };
	/** Lets running and queued tasks finish, then stops the threads and unregisters the pool. */
	close(): Promise<void>;
}

/**
 * Starts the worker threads that run the heavy work (replays, measuring, checkpoint encoding) and registers them for
 * this process's code, the SvelteKit bundle's included. At most `threads` tasks run at once and `threads × 8` wait
 * in the pool; beyond that, callers wait their turn, except a live room's load or checkpoint, which always goes in
 * (and first).
 */
export function startWorkPool(threads: number): RunningWorkPool {
	const pool = new Piscina({
		filename: WORKER_ENTRY,
		minThreads: 1,
		maxThreads: threads,
		idleTimeout: 60_000,
		taskQueue: new PriorityTaskQueue(),
		// Under contention for the cores, the live event loop comes first.
		niceIncrement: 5
	});
	const capacity = threads * (1 + QUEUED_PER_THREAD);
	let admitted = 0;
	let closed = false;
	const waiting: { rank: number; admit: () => void; refuse: (error: Error) => void }[] = [];

	const admit = (priority: WorkPriority): Promise<void> => {
		if (closed) return Promise.reject(new Error('The work pool is closed'));
		if (priority === 'live' || admitted < capacity) {
			admitted += 1;
			return Promise.resolve();
		}
		return new Promise((resolve, reject) => {
			const entry = { rank: RANK[priority], admit: resolve, refuse: reject };
			const before = waiting.findIndex((other) => other.rank > entry.rank);
			waiting.splice(before === -1 ? waiting.length : before, 0, entry);
		});
	};
	const release = () => {
		admitted -= 1;
		while (admitted < capacity && waiting.length > 0) {
			admitted += 1;
			waiting.shift()!.admit();
		}
	};

	const running: RunningWorkPool = {
		threads,
		async run(name, input, { transferList, priority }) {
			await admit(priority);
			try {
				const request: WorkRequest & { [queueOptionsSymbol]: { priority: WorkPriority } } = { task: name, input, [queueOptionsSymbol]: { priority } };
				return await pool.run(request, { transferList });
			} finally {
				release();
			}
		},
		stats: () => ({ admitted, waiting: waiting.length, completed: pool.completed }),
		async close() {
			if (closed) return;
			closed = true;
			registerWorkPool(undefined);
			for (const entry of waiting.splice(0)) entry.refuse(new Error('The work pool is closed'));
			await pool.close();
		}
	};
	registerWorkPool(running);
	return running;
}
