import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewPlanUpdate } from '../../db/plan-log.ts';
import type { PlanStore } from './plan-store.ts';

/** A plan store under test, with what it takes to set up plans in its storage. */
export interface PlanStoreFixture {
	store: PlanStore;
	/** A new plan nobody has written in, and two people who may write in it. */
	makePlan(): Promise<{ planId: string; people: [string, string] }>;
	/** Starts or ends an appointment of the plan. */
	setAppointment(planId: string, running: boolean): Promise<void>;
	close(): Promise<void>;
}

/** `count` typed changes from one editor, as rows from `firstSeq` on, and the editor's document. */
function typed(planId: string, userId: string, count: number, firstSeq = 1, doc = new Y.Doc()) {
	const rows: NewPlanUpdate[] = [];
	const record = (update: Uint8Array) => rows.push({ planId, seq: firstSeq + rows.length, userId, clientId: doc.clientID, context: 'solo', update });
	doc.on('update', record);
	for (let index = 0; index < count; index++) doc.getText('about').insert(doc.getText('about').length, String.fromCharCode(97 + (index % 26)));
	doc.off('update', record);
	return { doc, rows };
}

/** The document a checkpoint and tail rebuild. */
function rebuild(checkpoint: Uint8Array | null, tail: Uint8Array[]): string {
	const doc = new Y.Doc();
	if (checkpoint) Y.applyUpdate(doc, checkpoint);
	for (const update of tail) Y.applyUpdate(doc, update);
	return doc.getText('about').toString();
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/**
 * What every PlanStore must do, as rooms rely on it. Run it against each implementation with a factory that opens
 * that implementation on fresh storage.
 */
export function describePlanStoreContract(name: string, open: () => Promise<PlanStoreFixture>): void {
	describe(`the plan store contract: ${name}`, () => {
		let fixture: PlanStoreFixture;
		let store: PlanStore;
		beforeAll(async () => {
			fixture = await open();
			store = fixture.store;
		});
		afterAll(() => fixture?.close());

		it('loads a plan nobody has written in as empty', async () => {
			const { planId } = await fixture.makePlan();
			expect(await store.load(planId)).toEqual({
				state: { checkpoint: null, checkpointSeq: 0, tail: [], lastSeq: 0 },
				clients: new Map(),
				appointmentRunning: false
			});
			expect(await store.lastSeq(planId)).toBe(0);
		});

		it('reads committed changes back byte for byte, in seq order, with their client bindings', async () => {
			const { planId, people } = await fixture.makePlan();
			const { doc, rows } = typed(planId, people[0], 12);
			await store.commit({ bindings: [{ planId, clientId: doc.clientID, userId: people[0] }], updates: rows.slice(0, 5) });
			await store.commit({ bindings: [], updates: rows.slice(5) });
			const loaded = await store.load(planId);
			expect(loaded.state.tail.map(hex)).toEqual(rows.map((row) => hex(row.update)));
			expect(loaded.state).toMatchObject({ checkpoint: null, checkpointSeq: 0, lastSeq: 12 });
			expect(loaded.clients).toEqual(new Map([[doc.clientID, people[0]]]));
			expect(rebuild(loaded.state.checkpoint, loaded.state.tail)).toBe(doc.getText('about').toString());
			expect(await store.lastSeq(planId)).toBe(12);
		});

		it('stores a batch whole or not at all: a clash with a stored seq leaves nothing of it', async () => {
			const { planId, people } = await fixture.makePlan();
			const first = typed(planId, people[0], 2);
			await store.commit({ bindings: [], updates: first.rows.slice(0, 1) });
			const other = typed(planId, people[1], 1, 1);
			const clashing = {
				bindings: [{ planId, clientId: other.doc.clientID, userId: people[1] }],
				updates: [{ ...first.rows[1]! }, { ...other.rows[0]!, seq: 1 }]
			};
			await expect(store.commit(clashing)).rejects.toThrow();
			const loaded = await store.load(planId);
			expect(loaded.state.lastSeq).toBe(1);
			expect(loaded.state.tail.map(hex)).toEqual([hex(first.rows[0]!.update)]);
			expect(loaded.clients.has(other.doc.clientID)).toBe(false);
		});

		it('accepts a batch again that is already stored byte for byte (a retried write), and nothing is stored twice', async () => {
			const { planId, people } = await fixture.makePlan();
			const { doc, rows } = typed(planId, people[0], 3);
			const batch = { bindings: [{ planId, clientId: doc.clientID, userId: people[0] }], updates: rows };
			await store.commit(batch);
			await store.commit(batch);
			expect((await store.load(planId)).state.tail).toHaveLength(3);
			expect(await store.lastSeq(planId)).toBe(3);
		});

		it('keeps the first person a client id was bound to', async () => {
			const { planId, people } = await fixture.makePlan();
			const { doc, rows } = typed(planId, people[0], 2);
			await store.commit({ bindings: [{ planId, clientId: doc.clientID, userId: people[0] }], updates: rows.slice(0, 1) });
			await store.commit({ bindings: [{ planId, clientId: doc.clientID, userId: people[1] }], updates: rows.slice(1) });
			expect((await store.load(planId)).clients.get(doc.clientID)).toBe(people[0]);
		});

		it('loads the latest checkpoint with only the log after it, and states as of an earlier seq', async () => {
			const { planId, people } = await fixture.makePlan();
			const { doc, rows } = typed(planId, people[0], 30);
			const textAt = (seq: number) =>
				rebuild(
					null,
					rows.slice(0, seq).map((row) => row.update)
				);
			await store.commit({ bindings: [], updates: rows.slice(0, 10) });
			await store.writeCheckpoint(planId, 10, Y.mergeUpdates(rows.slice(0, 10).map((row) => row.update)));
			await store.commit({ bindings: [], updates: rows.slice(10, 20) });
			await store.writeCheckpoint(planId, 20, Y.mergeUpdates(rows.slice(0, 20).map((row) => row.update)));
			// A second checkpoint at the same seq keeps the first.
			await store.writeCheckpoint(planId, 20, Y.mergeUpdates(rows.slice(0, 5).map((row) => row.update)));
			await store.commit({ bindings: [], updates: rows.slice(20) });

			const { state } = await store.load(planId);
			expect(state).toMatchObject({ checkpointSeq: 20, lastSeq: 30 });
			expect(state.tail.map(hex)).toEqual(rows.slice(20).map((row) => hex(row.update)));
			expect(rebuild(state.checkpoint, state.tail)).toBe(doc.getText('about').toString());
			for (const seq of [5, 10, 15, 20, 25]) {
				const at = await store.loadStateAt(planId, seq);
				expect(rebuild(at.checkpoint, at.tail), `state at ${seq}`).toBe(textAt(seq));
			}
		});

		it('keeps plans apart: batches of two plans at once, one of them clashing, fail only that plan', async () => {
			const [one, two] = await Promise.all([fixture.makePlan(), fixture.makePlan()]);
			const first = typed(one.planId, one.people[0], 2);
			const second = typed(two.planId, two.people[0], 4);
			await store.commit({ bindings: [], updates: first.rows });
			const results = await Promise.allSettled([
				store.commit({ bindings: [], updates: [{ ...first.rows[1]!, update: second.rows[0]!.update }] }),
				store.commit({ bindings: [{ planId: two.planId, clientId: second.doc.clientID, userId: two.people[0] }], updates: second.rows })
			]);
			expect(results.map((result) => result.status)).toEqual(['rejected', 'fulfilled']);
			expect((await store.load(one.planId)).state.tail.map(hex)).toEqual(first.rows.map((row) => hex(row.update)));
			expect((await store.load(two.planId)).state.lastSeq).toBe(4);
			expect((await store.load(one.planId)).clients.size).toBe(0);
		});

		it('says whether an appointment of the plan is running', async () => {
			const { planId } = await fixture.makePlan();
			await fixture.setAppointment(planId, true);
			expect(await store.appointmentRunning(planId)).toBe(true);
			expect((await store.load(planId)).appointmentRunning).toBe(true);
			await fixture.setAppointment(planId, false);
			expect(await store.appointmentRunning(planId)).toBe(false);
			expect((await store.load(planId)).appointmentRunning).toBe(false);
		});
	});
}
