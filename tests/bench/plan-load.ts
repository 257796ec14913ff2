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
import { Room } from '../../server/collab/room.ts';
import { percentile, report } from './stats.ts';

/**
 * Writes a plan history of `count` logged updates, as two people typing and deleting in turns would make it:
 * single-character inserts, some deletions, across sections.
 */
export async function seedTypedHistory(db: Database, count: number): Promise<string> {
	const team = await createTeam(db, `History team ${Math.random()}`);
	const owner = await createAccount(db, { username: `history-${Date.now()}`, displayName: 'History', role: 'service_user', discipline: null, passwordHash: null });
	if (!team.ok || !owner.ok) throw new Error('seed');
	const plan = await createPlan(db, { title: 'History', serviceUserId: owner.value.id, teamId: team.value.id });
	if (!plan.ok) throw new Error('seed');
	const doc = new Y.Doc();
	const rows: NewPlanUpdate[] = [];
	doc.on('update', (update: Uint8Array) => rows.push({ planId: plan.value.id, seq: rows.length + 1, userId: owner.value.id, clientId: doc.clientID, context: 'solo', update }));
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

/** Times loading a plan with `count` logged updates into a room, cold (log only) and after its first checkpoint. */
export async function benchPlanLoad(count: number): Promise<boolean> {
	// Its own embedded PostgreSQL in a throw-away DATA_DIR, as `npm start` runs it.
	const dataDir = mkdtempSync(join(tmpdir(), 'chorus-bench-load-'));
	const database = await openDatabase({ dataDir, holder: 'benchmark' });
	try {
		const planId = await seedTypedHistory(database.db, count);
		const load = async (checkpointEvery: number) => {
			const started = performance.now();
			const room = new Room(planId, database.db, { checkpointEvery, commit: async () => {}, onFailure: () => {} });
			await room.loaded;
			const elapsed = performance.now() - started;
			room.destroy();
			return elapsed;
		};
		const cold: number[] = [];
		for (let run = 0; run < 5; run++) cold.push(await load(Number.MAX_SAFE_INTEGER));
		await load(1000); // the first real load writes a checkpoint, as the server does
		const warm: number[] = [];
		for (let run = 0; run < 5; run++) warm.push(await load(Number.MAX_SAFE_INTEGER));
		console.log(`\nPlan load: a plan with ${count.toLocaleString('en')} logged updates, on the server (embedded database)`);
		console.log(`  from the log alone, median       ${percentile(cold, 50).toFixed(1).padStart(9)} ms`);
		return report('with its checkpoint, median', percentile(warm, 50), 50);
	} finally {
		await database.close();
		rmSync(dataDir, { recursive: true, force: true });
	}
}
