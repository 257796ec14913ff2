/**
 * How urgent a piece of work is, highest first: `live` (a plan people are editing: its first load, its
 * checkpoint), `request` (a page or API answer someone waits for), `background` (keeping measures current).
 */
export type WorkPriority = 'live' | 'request' | 'background';

/**
 * A CPU-heavy computation that may run in a worker thread: plain input in (stored updates packed, see
 * packed-updates.ts), plain result out. The same function runs in the worker or, with no pool, in the caller.
 */
export interface WorkTask<Input, Output> {
	/** How the worker finds it (server/work/tasks.ts lists every task). */
	readonly name: string;
	run(input: Input): Output;
}

/** Names a computation so that it can run in a worker thread. */
export function defineWorkTask<Input, Output>(name: string, run: (input: Input) => Output): WorkTask<Input, Output> {
	return { name, run };
}

/** The worker pool of this process, as the code that hands it work sees it. */
export interface WorkPool {
	/** Runs the named task on a worker thread; the buffers in `transferList` are moved there, not copied. */
	run(name: string, input: unknown, options: { transferList: ArrayBuffer[]; priority: WorkPriority }): Promise<unknown>;
}

// The Node server and the SvelteKit bundle load separate copies of this module: share through a global symbol.
const WORK_POOL_KEY = Symbol.for('chorus.work-pool');
type WithWorkPool = typeof globalThis & { [WORK_POOL_KEY]?: WorkPool };

/** Makes the process's worker pool available to its code (undefined: none any more). */
export function registerWorkPool(pool: WorkPool | undefined): void {
	(globalThis as WithWorkPool)[WORK_POOL_KEY] = pool;
}

/** Whether this process has a worker pool (the server does; unit tests and scripts usually not). */
export function hasWorkPool(): boolean {
	return (globalThis as WithWorkPool)[WORK_POOL_KEY] !== undefined;
}

/**
 * Runs a task in the process's worker pool, or right here when there is none. The input's buffers are
 * transferred to the worker: the caller must not use them afterwards.
 */
export async function runWork<Input, Output>(task: WorkTask<Input, Output>, input: Input, priority: WorkPriority = 'request'): Promise<Output> {
	const pool = (globalThis as WithWorkPool)[WORK_POOL_KEY];
	if (!pool) return task.run(input);
	return (await pool.run(task.name, input, { transferList: ownedBuffersIn(input), priority })) as Output;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
	const prototype = Object.getPrototypeOf(value) as unknown;
	return prototype === Object.prototype || prototype === null;
};

/**
 * The buffers of the typed arrays in `value` (itself, or a property of it or of a plain object within it) that own
 * their whole buffer, and so can be transferred without detaching memory that other views share. Arrays are not
 * searched: big binary data travels packed.
 */
export function ownedBuffersIn(value: unknown, depth = 3): ArrayBuffer[] {
	const found = new Set<ArrayBuffer>();
	const visit = (candidate: unknown, level: number) => {
		if (ArrayBuffer.isView(candidate)) {
			const { buffer } = candidate;
			if (buffer instanceof ArrayBuffer && candidate.byteOffset === 0 && candidate.byteLength === buffer.byteLength && buffer.byteLength > 0) found.add(buffer);
			return;
		}
		if (level < depth && isPlainObject(candidate)) for (const inner of Object.values(candidate)) visit(inner, level + 1);
	};
	visit(value, 0);
	return [...found];
}
