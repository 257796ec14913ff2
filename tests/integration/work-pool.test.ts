import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenDatabase } from '../../db/client.ts';
import { loadInvolvementMonths, loadPlanInvolvements } from '../../db/involvement.ts';
import { appendPlanUpdates, bindPlanClients, loadPlanState, type NewPlanUpdate } from '../../db/plan-log.ts';
import { addCareTeamMember, createPlan } from '../../db/plans.ts';
import { registerDatabase } from '../../db/registry.ts';
import { PostgresPlanStore } from '../../server/collab/postgres-plan-store.ts';
import { Room } from '../../server/collab/room.ts';
import { currentPlanText } from '../../server/commands/plan-documents.ts';
import { measurePlanInvolvement } from '../../server/involvement/measure.ts';
import { writeScriptedHistory, type ScriptedPlan } from '../../server/scripted-history.ts';
import { startWorkPool } from '../../server/work/pool.ts';
import { buildComparison } from '../../src/lib/server/history/compare.ts';
import { changedSince, countCurrentAuthorship, loadClientOwners, planStateAt } from '../../src/lib/server/history/documents.ts';
import { packUpdates } from '../../src/lib/shared/packed-updates.ts';
import { planContent } from '../../src/lib/shared/plan-content.ts';
import { mergeStoredUpdates } from '../../src/lib/shared/plan-replays.ts';
import { hasWorkPool, runWork } from '../../src/lib/shared/work-pool.ts';
import { createTestDatabase, testDatabaseKind } from '../helpers/database.ts';
import { makeCareSetting } from '../helpers/factories.ts';
import { appendParagraph, PLAN_CONTENT_MARKER } from '../helpers/plan-doc.ts';

const DAY = 24 * 3600_000;
const NOW = new Date();

let database: OpenDatabase;
let setting: Awaited<ReturnType<typeof makeCareSetting>>;

beforeAll(async () => {
	database = await createTestDatabase();
	registerDatabase(database.db);
	setting = await makeCareSetting(database.db);
});
afterAll(async () => {
	registerDatabase(undefined);
	await database.close();
});

/** Another plan of the same person and care team. */
async function anotherPlan(): Promise<string> {
	const created = await createPlan(database.db, { title: 'Plan', serviceUserId: setting.serviceUser.id, teamId: setting.team.id });
	if (!created.ok) throw new Error(created.error);
	await addCareTeamMember(database.db, created.value.id, setting.professional.id, setting.admin.id);
	return created.value.id;
}

/** Half a year of visits by the person and their worker, with deletions, goals and an agreed version in the middle. */
function script(planId: string): ScriptedPlan {
	const { serviceUser, professional } = setting;
	const visits: ScriptedPlan['visits'] = Array.from({ length: 12 }, (_, index) => ({
		at: new Date(NOW.getTime() - (180 - index * 15) * DAY),
		by: index % 3 === 0 ? professional.id : serviceUser.id,
		context: index % 4 === 0 ? 'joint' : 'solo',
		writes:
			index % 5 === 4
				? [{ goal: `goal-${index % 2}`, domain: 'hope', text: `${PLAN_CONTENT_MARKER} walk by the river ` }]
				: [
						{ section: index % 2 === 0 ? 'about' : 'crisis', text: `${PLAN_CONTENT_MARKER} I like the sea and my dog ` },
						...(index % 3 === 2 ? [{ section: 'about' as const, removeLast: 4 }] : [])
					]
	}));
	const agreedAt = new Date(NOW.getTime() - 80 * DAY);
	return {
		planId,
		visits,
		versions: [
			{
				afterVisit: 6,
				name: 'Agreed',
				kind: 'agreement',
				createdBy: professional.id,
				signOffs: [
					{ userId: professional.id, decision: 'agree', at: agreedAt },
					{ userId: serviceUser.id, decision: 'agree', at: agreedAt }
				]
			}
		]
	};
}

/** Every answer that replays the plan, as the pages and the audit get them. */
async function answersFor(planId: string, lastSeq: number) {
	const middle = Math.floor(lastSeq / 2);
	const measured = async () => {
		await measurePlanInvolvement(database.db, planId, NOW);
		const [row] = await loadPlanInvolvements(database.db, [planId]);
		const months = await loadInvolvementMonths(database.db, [planId], '2000-01-01');
		const { planId: _planId, computedAt: _computedAt, ...figures } = row!;
		return { figures, months: months.map(({ planId: _month, ...month }) => month) };
	};
	const owners = await loadClientOwners(planId);
	return {
		// The first measuring replays the log month by month; the second reads the checkpoint.
		firstMeasure: await measured(),
		secondMeasure: await measured(),
		authorship: await countCurrentAuthorship(planId),
		comparison: await buildComparison(planId, middle, lastSeq, owners),
		stateInTheMiddle: Buffer.from(await planStateAt(planId, middle)).toString('base64'),
		changedSinceMiddle: await changedSince(planId, middle),
		text: await currentPlanText(database.db, planId, { title: 'Plan', person: 'Sam', printedAt: '1 March 2025' })
	};
}

describe(`heavy work in the worker pool (${testDatabaseKind})`, () => {
	it('gives the same involvement, authorship, comparison, version, agreement and download answers as inline', async () => {
		const inlinePlan = setting.plan.id;
		const pooledPlan = await anotherPlan();
		// The same script writes the same log (client ids follow the people), so the answers must be identical.
		const { lastSeq } = await writeScriptedHistory(database.db, script(inlinePlan));
		await writeScriptedHistory(database.db, script(pooledPlan));

		expect(hasWorkPool()).toBe(false);
		const inline = await answersFor(inlinePlan, lastSeq);
		const pool = startWorkPool(1);
		try {
			const pooled = await answersFor(pooledPlan, lastSeq);
			expect(pool.stats().completed).toBe(7); // each answer above replayed in the pool
			expect(pooled).toEqual(inline);
		} finally {
			await pool.close();
		}
		expect(inline.firstMeasure.months.length).toBeGreaterThanOrEqual(6);
		expect(inline.firstMeasure.figures.serviceUserChars).toBeGreaterThan(0);
		expect(inline.firstMeasure.figures.currentAgreedByServiceUser).toBe(false);
		expect(inline.changedSinceMiddle).toBe(true);
	});

	it('loads a long log through the pool as one merged update, stores it as the checkpoint, and checkpoints from the log', async () => {
		const planId = await anotherPlan();
		const writer = new Y.Doc();
		const rows: NewPlanUpdate[] = [];
		writer.on('update', (update: Uint8Array) =>
			rows.push({ planId, seq: rows.length + 1, userId: setting.serviceUser.id, clientId: writer.clientID, context: 'solo', update })
		);
		// Long enough (over 256 KiB) that its checkpoints are merged in the pool rather than encoded in the room.
		const texts = ['about', 'hope', 'crisis'].map((section) => appendParagraph(writer, section));
		for (let index = 0; rows.length < 3000; index++) {
			const text = texts[index % texts.length]!;
			if (index % 7 === 6) text.delete(text.length - 1, 1);
			else text.insert(text.length, `${PLAN_CONTENT_MARKER} `.repeat(5));
		}
		await bindPlanClients(database.db, [{ planId, clientId: writer.clientID, userId: setting.serviceUser.id }]);
		await appendPlanUpdates(database.db, rows);

		const store = new PostgresPlanStore(database.db, database.commitClient);
		const openRoom = async (checkpointEvery: number) => {
			const room = new Room(planId, { store, checkpointEvery, onFailure: () => {} });
			await room.loaded;
			return room;
		};
		const inline = await openRoom(Number.MAX_SAFE_INTEGER);
		const pool = startWorkPool(1);
		try {
			const pooled = await openRoom(1000);
			expect(planContent(pooled.doc)).toBe(planContent(writer));
			expect(Y.encodeStateVector(pooled.doc)).toEqual(Y.encodeStateVector(inline.doc));
			expect(planContent(pooled.doc)).toBe(planContent(inline.doc));
			// The merged state the load applied is the checkpoint: nothing was merged twice.
			const stored = await loadPlanState(database.db, planId);
			expect(stored).toMatchObject({ checkpointSeq: 3000, tail: [], lastSeq: 3000 });
			expect(stored.checkpoint!.byteLength).toBeGreaterThan(256 * 1024);

			// A change, then a checkpoint merged in the pool from the stored checkpoint and the log after it.
			await pooled.applyServerChange(setting.professional.id, (draft) => {
				const text = new Y.XmlText();
				const paragraph = new Y.XmlElement('paragraph');
				draft.getXmlFragment('section:barriers').push([paragraph]);
				paragraph.push([text]);
				text.insert(0, PLAN_CONTENT_MARKER);
			});
			const completed = pool.stats().completed;
			await Promise.all([pooled.checkpoint(), pooled.checkpoint()]);
			expect(pool.stats().completed).toBe(completed + 1); // one at a time: the second found nothing left to store
			const reloaded = await loadPlanState(database.db, planId);
			expect(reloaded).toMatchObject({ checkpointSeq: pooled.seq, tail: [] });
			const fromCheckpoint = new Y.Doc();
			Y.applyUpdate(fromCheckpoint, reloaded.checkpoint!);
			expect(planContent(fromCheckpoint)).toBe(planContent(pooled.doc));
			pooled.destroy();
		} finally {
			inline.destroy();
			await pool.close();
		}
	});

	it('keeps the event loop responsive while a big replay runs in the pool', async () => {
		const writer = new Y.Doc();
		const updates: Uint8Array[] = [];
		writer.on('update', (update: Uint8Array) => updates.push(update));
		const texts = ['about', 'hope', 'identity', 'meaning'].map((section) => appendParagraph(writer, section));
		for (let index = 0; updates.length < 40_000; index++) texts[index % texts.length]!.insert(0, 'ab'[index % 2]!);

		// How long the same replay holds this thread when it runs here.
		let started = performance.now();
		const expected = mergeStoredUpdates.run({ updates: packUpdates(updates) });
		const inlineMs = performance.now() - started;

		const pool = startWorkPool(1);
		try {
			await runWork(mergeStoredUpdates, { updates: packUpdates(updates.slice(0, 100)) }); // the thread is up
			// A timer-drift probe: the longest gap between ticks of a 2 ms interval is the longest stall.
			let longestGap = 0;
			let last = performance.now();
			const probe = setInterval(() => {
				const now = performance.now();
				longestGap = Math.max(longestGap, now - last);
				last = now;
			}, 2);
			started = performance.now();
			const merged = await runWork(mergeStoredUpdates, { updates: packUpdates(updates) }, 'live');
			const pooledMs = performance.now() - started;
			clearInterval(probe);
			expect(Buffer.from(merged).equals(Buffer.from(expected))).toBe(true);
			// The replay takes a while in the worker, yet this thread never stalls for more than a fraction of it.
			expect(pooledMs).toBeGreaterThan(longestGap * 2);
			expect(longestGap).toBeLessThan(inlineMs / 2);
		} finally {
			await pool.close();
		}
	});
});
