import { eq, sql } from 'drizzle-orm';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenDatabase } from '../../db/client.ts';
import {
	appendPlanUpdates,
	bindPlanClients,
	countPlanUpdates,
	lastPlanSeq,
	loadPlanClients,
	loadPlanState,
	writePlanCheckpoint,
	updatesAreStored,
	type NewPlanUpdate
} from '../../db/plan-log.ts';
import { planUpdate } from '../../db/schema/index.ts';
import { CommitQueue } from '../../server/collab/commit-queue.ts';
import { PostgresPlanStore } from '../../server/collab/postgres-plan-store.ts';
import { Room } from '../../server/collab/room.ts';
import { createTestDatabase, testDatabaseKind } from '../helpers/database.ts';
import { makeCareSetting } from '../helpers/factories.ts';

let database: OpenDatabase;
beforeAll(async () => {
	database = await createTestDatabase();
});
afterAll(() => database.close());

/** A plan with `count` typed updates from one writer; returns the rows (not yet stored) and the final text. */
function typedUpdates(planId: string, userId: string, count: number, firstSeq = 1) {
	const doc = new Y.Doc();
	const rows: NewPlanUpdate[] = [];
	doc.on('update', (update: Uint8Array) => rows.push({ planId, seq: firstSeq + rows.length, userId, clientId: doc.clientID, context: 'solo', update }));
	for (let i = 0; i < count; i++) doc.getText('t').insert(i, String.fromCharCode(97 + (i % 26)));
	return { doc, rows };
}

describe(`the plan's update log (${testDatabaseKind})`, () => {
	it('stores updates byte for byte and rebuilds the document from checkpoint plus tail', async () => {
		const { plan, serviceUser } = await makeCareSetting(database.db);
		const { doc, rows } = typedUpdates(plan.id, serviceUser.id, 30);
		await appendPlanUpdates(database.db, rows.slice(0, 20));
		await writePlanCheckpoint(database.db, plan.id, 20, Y.mergeUpdates(rows.slice(0, 20).map((row) => row.update)));
		await appendPlanUpdates(database.db, rows.slice(20));

		const stored = await loadPlanState(database.db, plan.id);
		expect(stored.checkpointSeq).toBe(20);
		expect(stored.lastSeq).toBe(30);
		expect(stored.tail.map((update) => Buffer.from(update).toString('hex'))).toEqual(rows.slice(20).map((row) => Buffer.from(row.update).toString('hex')));
		const rebuilt = new Y.Doc();
		Y.applyUpdate(rebuilt, stored.checkpoint!);
		for (const update of stored.tail) Y.applyUpdate(rebuilt, update);
		expect(rebuilt.getText('t').toString()).toBe(doc.getText('t').toString());
		expect(await lastPlanSeq(database.db, plan.id)).toBe(30);
		expect(await countPlanUpdates(database.db, plan.id)).toBe(30);
		expect(await updatesAreStored(database.db, rows.slice(0, 2))).toBe(true);
		expect(await updatesAreStored(database.db, [{ ...rows[0]!, update: rows[1]!.update }])).toBe(false);
		expect(await updatesAreStored(database.db, [{ ...rows[0]!, seq: 31 }])).toBe(false);
	});

	it('refuses a second row with the same seq, and any change to a stored row', async () => {
		const { plan, serviceUser } = await makeCareSetting(database.db);
		const { rows } = typedUpdates(plan.id, serviceUser.id, 2);
		await appendPlanUpdates(database.db, rows);
		await expect(appendPlanUpdates(database.db, [rows[1]!])).rejects.toThrow();
		await expect(database.db.update(planUpdate).set({ context: 'joint' }).where(eq(planUpdate.planId, plan.id))).rejects.toThrow();
		const [row] = await database.db
			.select({ n: sql<number>`count(*)::int` })
			.from(planUpdate)
			.where(eq(planUpdate.planId, plan.id));
		expect(row!.n).toBe(2);
	});

	it('keeps the first person a client id was bound to', async () => {
		const { plan, serviceUser, professional } = await makeCareSetting(database.db);
		await bindPlanClients(database.db, [{ planId: plan.id, clientId: 4242, userId: serviceUser.id }]);
		await bindPlanClients(database.db, [{ planId: plan.id, clientId: 4242, userId: professional.id }]);
		expect((await loadPlanClients(database.db, plan.id)).get(4242)).toBe(serviceUser.id);
	});

	it('group commit: one plan’s bad batch fails only that plan', async () => {
		const first = await makeCareSetting(database.db);
		const second = await makeCareSetting(database.db);
		const good = typedUpdates(second.plan.id, second.serviceUser.id, 3);
		const bad = typedUpdates(first.plan.id, first.serviceUser.id, 2);
		await appendPlanUpdates(database.db, bad.rows);
		const queue = new CommitQueue(database.commitClient, database.db, 1);
		const results = await Promise.allSettled([
			queue.commit({ bindings: [], updates: [{ ...bad.rows[0]!, seq: 2 }] }), // seq 2 is taken
			queue.commit({ bindings: [{ planId: second.plan.id, clientId: good.doc.clientID, userId: second.serviceUser.id }], updates: good.rows })
		]);
		expect(results.map((result) => result.status)).toEqual(['rejected', 'fulfilled']);
		expect(await countPlanUpdates(database.db, second.plan.id)).toBe(3);
		expect(await countPlanUpdates(database.db, first.plan.id)).toBe(2);
	});

	it('group commit: a batch’s client bindings and updates are stored together or not at all', async () => {
		const { plan, serviceUser } = await makeCareSetting(database.db);
		const taken = typedUpdates(plan.id, serviceUser.id, 1);
		await appendPlanUpdates(database.db, taken.rows);
		const queue = new CommitQueue(database.commitClient, database.db);
		const refused = queue.commit({
			bindings: [{ planId: plan.id, clientId: 777_001, userId: serviceUser.id }],
			updates: [{ ...taken.rows[0]!, update: new Uint8Array([0, 0]) }]
		});
		await expect(refused).rejects.toThrow();
		expect((await loadPlanClients(database.db, plan.id)).has(777_001)).toBe(false);
		await queue.commit({ bindings: [{ planId: plan.id, clientId: 777_001, userId: serviceUser.id }], updates: [{ ...taken.rows[0]!, seq: 2 }] });
		expect((await loadPlanClients(database.db, plan.id)).get(777_001)).toBe(serviceUser.id);
		expect(await countPlanUpdates(database.db, plan.id)).toBe(2);
	});

	it('a room loads a log tail longer than its checkpoint interval and writes the checkpoint it is due', async () => {
		const { plan, serviceUser } = await makeCareSetting(database.db);
		const { doc, rows } = typedUpdates(plan.id, serviceUser.id, 30);
		await appendPlanUpdates(database.db, rows);
		const room = new Room(plan.id, { store: new PostgresPlanStore(database.db, database.commitClient), checkpointEvery: 10, onFailure: () => {} });
		try {
			await room.loaded;
			expect(room.doc.getText('t').toString()).toBe(doc.getText('t').toString());
			expect((await loadPlanState(database.db, plan.id)).checkpointSeq).toBe(30);
		} finally {
			room.destroy();
		}
	});
});
