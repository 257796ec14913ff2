import { queueOptionsSymbol, type PiscinaTask } from 'piscina';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packStoredState, packUpdates, type PackedUpdates } from '../../src/lib/shared/packed-updates.ts';
import {
	compareStoredVersions,
	countStoredAuthorship,
	mergeStoredUpdates,
	sameStoredContent,
	storedPlanForExport,
	storedPlanOutline
} from '../../src/lib/shared/plan-replays.ts';
import { hasWorkPool, runWork, type WorkTask } from '../../src/lib/shared/work-pool.ts';
import { ConfigError } from '../config.ts';
import { measureContentReplay } from '../involvement/content-measures.ts';
import { PriorityTaskQueue, readWorkThreads, startWorkPool, type RunningWorkPool } from './pool.ts';
import { WORK_TASKS } from './tasks.ts';

/** A plan two people wrote, as its log: every change with its seq, person and time. */
function writtenLog() {
	const sam = new Y.Doc();
	const priya = new Y.Doc();
	const log: { seq: number; userId: string; at: number; update: Uint8Array }[] = [];
	const record = (userId: string) => (update: Uint8Array, origin: unknown) => {
		if (origin === 'remote') return;
		log.push({ seq: log.length + 1, userId, at: Date.UTC(2025, 0, 1) + log.length * 3_600_000 * 24, update });
		(userId === 'sam' ? priya : sam).transact(() => Y.applyUpdate(userId === 'sam' ? priya : sam, update), 'remote');
	};
	sam.on('update', record('sam'));
	priya.on('update', record('priya'));
	const paragraph = (doc: Y.Doc, section: string) => {
		const text = new Y.XmlText();
		doc.transact(() => {
			const element = new Y.XmlElement('paragraph');
			doc.getXmlFragment(`section:${section}`).push([element]);
			element.push([text]);
		});
		return text;
	};
	const about = paragraph(sam, 'about');
	for (const word of 'I like swimming in the sea'.split(' ')) about.insert(about.length, `${word} `);
	about.format(2, 4, { bold: true });
	const hope = paragraph(priya, 'hope');
	for (const word of 'A holiday with my brother'.split(' ')) hope.insert(hope.length, `${word} `);
	hope.delete(0, 2);
	sam.transact(() => {
		const goal = new Y.Map<unknown>();
		goal.set('id', 'goal-1');
		goal.set('domain', 'meaning');
		goal.set('text', new Y.Text('Swim every week'));
		goal.set('status', 'active');
		sam.getArray('goals').push([goal]);
	});
	(priya.getArray<Y.Map<unknown>>('goals').get(0).get('text') as Y.Text).insert(15, ' with Kim');
	const owners: [number, string][] = [
		[sam.clientID, 'sam'],
		[priya.clientID, 'priya']
	];
	return { log, owners };
}

const { log, owners } = writtenLog();
const updatesUpTo = (seq: number) => log.filter((change) => change.seq <= seq).map((change) => change.update);
const packedUpTo = (seq: number): PackedUpdates => packUpdates(updatesUpTo(seq));
const middle = Math.floor(log.length / 2);

/** Each task with a way to make a fresh input (inputs are transferred, so each run needs its own). */
const cases: [WorkTask<never, unknown>, () => unknown][] = [
	[
		mergeStoredUpdates as WorkTask<never, unknown>,
		() => ({ updates: packStoredState(Y.mergeUpdates(updatesUpTo(middle)), updatesUpTo(log.length).slice(middle)) })
	],
	[countStoredAuthorship as WorkTask<never, unknown>, () => ({ updates: packedUpTo(log.length) })],
	[sameStoredContent as WorkTask<never, unknown>, () => ({ a: packedUpTo(log.length), b: packedUpTo(middle) })],
	[storedPlanOutline as WorkTask<never, unknown>, () => ({ updates: packedUpTo(log.length) })],
	[storedPlanForExport as WorkTask<never, unknown>, () => ({ updates: packedUpTo(log.length) })],
	[
		compareStoredVersions as WorkTask<never, unknown>,
		() => ({
			log: { updates: packedUpTo(log.length), seqs: Uint32Array.from(log, (change) => change.seq), userIds: log.map((change) => change.userId) },
			fromSeq: middle,
			owners
		})
	],
	[
		measureContentReplay as WorkTask<never, unknown>,
		() => ({
			updates: packedUpTo(log.length),
			at: Float64Array.from(log, (change) => change.at),
			months: [
				{ month: '2025-01-01', end: Date.UTC(2025, 1, 1), missing: true },
				{ month: '2025-02-01', end: Date.UTC(2025, 2, 1), missing: false }
			],
			owners,
			serviceUserId: 'sam',
			agreedVersion: packedUpTo(middle)
		})
	]
];

describe('the work pool', () => {
	let pool: RunningWorkPool;
	beforeAll(() => {
		pool = startWorkPool(1);
	});
	afterAll(() => pool.close());

	it('lists every task once, under its name', () => {
		expect([...WORK_TASKS.keys()].toSorted()).toEqual(cases.map(([task]) => task.name).toSorted());
		for (const [task] of cases) expect(WORK_TASKS.get(task.name)).toBe(task);
	});

	it.each(cases.map(([task, input]) => [task.name, task, input] as const))('%s gives in a worker thread what it gives inline', async (_name, task, input) => {
		const inline = task.run(input() as never);
		expect(hasWorkPool()).toBe(true);
		expect(await runWork(task, input() as never)).toEqual(inline);
	});

	it('moves the packed buffers to the worker and the merged state back, rather than copying them', async () => {
		const updates = packedUpTo(log.length);
		const merged = await runWork(mergeStoredUpdates, { updates });
		expect(updates.bytes.byteLength).toBe(0); // detached: transferred, not cloned
		expect(merged.byteLength).toBeGreaterThan(0);
		const doc = new Y.Doc();
		Y.applyUpdate(doc, merged);
		expect(doc.getXmlFragment('section:about').toString()).toContain('<bold>like</bold>');
	});

	it('reports a failing task to its caller and keeps working', async () => {
		const broken = { updates: { bytes: new Uint8Array([1, 2, 3]), ends: Uint32Array.from([3]) } };
		await expect(runWork(mergeStoredUpdates, broken)).rejects.toThrow();
		expect((await runWork(countStoredAuthorship, { updates: packedUpTo(log.length) })).sections[0]!.total).toBeGreaterThan(0);
	});
});

describe('PriorityTaskQueue', () => {
	const task = (priority: string | undefined, id: number) => ({ taskId: id, [queueOptionsSymbol]: priority ? { priority } : null }) as unknown as PiscinaTask;

	it('hands out live work first, then requests, then background work, each in order of arrival', () => {
		const queue = new PriorityTaskQueue();
		const tasks = [task('background', 1), task('request', 2), task('live', 3), task(undefined, 4), task('live', 5), task('background', 6)];
		for (const queued of tasks) queue.push(queued);
		queue.remove(tasks[3]!);
		expect(queue.size).toBe(5);
		const order: number[] = [];
		for (let next = queue.shift(); next; next = queue.shift()) order.push(next.taskId);
		expect(order).toEqual([3, 5, 2, 1, 6]);
	});
});

describe('readWorkThreads', () => {
	it('takes WORK_THREADS, or leaves one core to the event loop', () => {
		expect(readWorkThreads({ WORK_THREADS: '3' })).toBe(3);
		expect(readWorkThreads({})).toBeGreaterThanOrEqual(1);
		for (const wrong of ['0', '-1', '1.5', 'many', '65']) expect(() => readWorkThreads({ WORK_THREADS: wrong })).toThrow(ConfigError);
	});
});
