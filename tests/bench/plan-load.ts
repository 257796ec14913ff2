import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { appendParagraph } from '../helpers/plan-doc.ts';
import { createAccount } from '../../db/accounts.ts';
import { openDatabase } from '../../db/client.ts';
import { appendPlanUpdates, bindPlanClients, type NewPlanUpdate } from '../../db/plan-log.ts';
import { createPlan } from '../../db/plans.ts';
import { createTeam } from '../../db/teams.ts';
import type { Database } from '../../db/types.ts';
import { PostgresPlanStore } from '../../server/collab/postgres-plan-store.ts';
import { Room } from '../../server/collab/room.ts';
import { startWorkPool } from '../../server/work/pool.ts';
import { percentile, report } from './stats.ts';

/**
 * Writes a plan history of `count` logged updates, as two people typing and deleting in turns would make it:
 * single-character inserts, some deletions, across sections.
 */
export async function seedTypedHistory(db: Database, count: number): Promise<string> {
	const team = await createTeam(db, `History team ${Math.random()}`);
	const owner = await createAccount(db, {
		username: `history-${Date.now()}`,
		displayName: 'History',
		role: 'service_user',
		discipline: null,
		passwordHash: null
	});
	if (!team.ok || !owner.ok) throw new Error('seed');
	const plan = await createPlan(db, { title: 'History', serviceUserId: owner.value.id, teamId: team.value.id });
	if (!plan.ok) throw new Error('seed');
	const doc = new Y.Doc();
	const rows: NewPlanUpdate[] = [];
	doc.on('update', (update: Uint8Array) =>
		rows.push({ planId: plan.value.id, seq: rows.length + 1, userId: owner.value.id, clientId: doc.clientID, context: 'solo', update })
	);
	const sections = ['about', 'connectedness', 'hope', 'identity', 'meaning', 'empowerment'].map((id) => appendParagraph(doc, id));
	const words = 'I would like to get back to swimming on Tuesdays with my brother ';
	let i = 0;
	while (rows.length < count) {
		const text = sections[i % sections.length]!;
		if (i % 9 === 8 && text.length > 3) text.delete(text.length - 2, 1);
		else text.insert(text.length, words[i % words.length]!);
		i++;
	}
	await bindPlanClients(db, [{ planId: plan.value.id, clientId: doc.clientID, userId: owner.value.id }]);
	await appendPlanUpdates(db, rows);
	return plan.value.id;
}

/**
 * Times loading a plan with `count` logged updates into a room, cold (log only: replayed here, and merged in a worker
 * thread) and after its first checkpoint, with the longest time the event loop was held meanwhile.
 */
export async function benchPlanLoad(count: number): Promise<boolean> {
	// Its own embedded PostgreSQL in a throw-away DATA_DIR, as `npm start` runs it.
	const dataDir = mkdtempSync(join(tmpdir(), 'chorus-bench-load-'));
	const database = await openDatabase({ dataDir, holder: 'benchmark' });
	try {
		const planId = await seedTypedHistory(database.db, count);
		let stall = 0;
		const load = async (checkpointEvery: number) => {
			// A timer-drift probe: the longest gap between ticks is the longest time the event loop was held.
			let last = performance.now();
			const probe = setInterval(() => {
				const now = performance.now();
				stall = Math.max(stall, now - last);
				last = now;
			}, 1);
			const started = performance.now();
			const room = new Room(planId, { store: new PostgresPlanStore(database.db, database.commitClient), checkpointEvery, onFailure: () => {} });
			await room.loaded;
			const elapsed = performance.now() - started;
			clearInterval(probe);
			stall = Math.max(stall, performance.now() - last);
			room.destroy();
			return elapsed;
		};
		const loads = async (runs: number) => {
			stall = 0;
			const times: number[] = [];
			for (let run = 0; run < runs; run++) times.push(await load(Number.MAX_SAFE_INTEGER));
			return { median: percentile(times, 50), stall };
		};
		const cold = await loads(5);
		const pool = startWorkPool(1);
		let pooled: { median: number; stall: number };
		try {
			await load(Number.MAX_SAFE_INTEGER); // the worker thread is up
			pooled = await loads(5);
		} finally {
			await pool.close();
		}
		await load(1000); // the first real load writes a checkpoint, as the server does
		const warm = await loads(5);
		const line = (label: string, figures: { median: number; stall: number }) =>
			console.log(`  ${label.padEnd(34)} ${figures.median.toFixed(1).padStart(9)} ms   event loop held up to ${figures.stall.toFixed(1)} ms`);
		console.log(`\nPlan load: a plan with ${count.toLocaleString('en')} logged updates, on the server (embedded database)`);
		line('from the log alone, median', cold);
		line('the same, merged in a worker, median', pooled);
		line('with its checkpoint, median', warm);
		return report('with its checkpoint, median', warm.median, 50);
	} finally {
		await database.close();
		rmSync(dataDir, { recursive: true, force: true });
	}
}
