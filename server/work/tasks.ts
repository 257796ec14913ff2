import { move, transferableSymbol, valueSymbol } from 'piscina';
import {
	compareStoredVersions,
	countStoredAuthorship,
	mergeStoredUpdates,
	sameStoredContent,
	storedPlanForExport,
	storedPlanOutline
} from '../../src/lib/shared/plan-replays.ts';
import { ownedBuffersIn, type WorkTask } from '../../src/lib/shared/work-pool.ts';
import { measureContentReplay } from '../involvement/content-measures.ts';

/** Every task the work pool's threads can run, by name. */
export const WORK_TASKS: ReadonlyMap<string, WorkTask<never, unknown>> = new Map(
	[mergeStoredUpdates, countStoredAuthorship, sameStoredContent, storedPlanOutline, storedPlanForExport, compareStoredVersions, measureContentReplay].map(
		(task) => [task.name, task as WorkTask<never, unknown>] as const
	)
);

/** What the pool posts to a thread: which task, and its input. */
export interface WorkRequest {
	task: string;
	input: unknown;
}

/** Runs a request's task; the buffers of its result are moved back to the caller rather than copied. */
export function runWorkRequest(request: WorkRequest): unknown {
	const task = WORK_TASKS.get(request.task);
	if (!task) throw new Error(`No such work task: ${request.task}`);
	const result = task.run(request.input as never);
	const buffers = ownedBuffersIn(result);
	if (buffers.length === 0) return result;
	return move({ [transferableSymbol]: buffers, [valueSymbol]: result } as Parameters<typeof move>[0]);
}
