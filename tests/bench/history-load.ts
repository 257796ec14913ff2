import * as Y from 'yjs';
import { createAccount } from '../../db/accounts.ts';
import { appendPlanUpdates, bindPlanClients, writePlanCheckpoint, type NewPlanUpdate } from '../../db/plan-log.ts';
import { addCareTeamMember, createPlan } from '../../db/plans.ts';
import { createSession, generateSessionToken } from '../../db/session.ts';
import { createTeam } from '../../db/teams.ts';
import type { Database } from '../../db/types.ts';
import { summariseChanges, summaryOf } from '../../src/lib/shared/change-summary.ts';
import { PLAN_SECTIONS, sectionField } from '../../src/lib/shared/plan-sections.ts';
import { startTestServer } from '../helpers/test-server.ts';
import { percentile, report } from './stats.ts';

const WORDS = 'I would like to get back to swimming on Tuesdays with my brother and feel part of the club again. ';

/**
 * A plan history of `count` logged updates as a person and their worker make it over weeks: visits of ~150
 * keystrokes, a few minutes apart within a visit and days apart between visits, in rich-text paragraphs, with
 * deletions, each update summarised as the server does. Checkpoints every 1,000 updates, as the server writes them.
 */
async function seedLongHistory(db: Database, count: number): Promise<{ planId: string; cookie: string }> {
	const team = await createTeam(db, 'History benchmark team');
	const person = await createAccount(db, { username: 'bench-history-su', displayName: 'Robin Example', role: 'service_user', discipline: null, passwordHash: null });
	const worker = await createAccount(db, { username: 'bench-history-pro', displayName: 'Kim Worker', role: 'professional', discipline: 'nurse', passwordHash: null });
	if (!team.ok || !person.ok || !worker.ok) throw new Error('seed');
	const plan = await createPlan(db, { title: 'Long history', serviceUserId: person.value.id, teamId: team.value.id });
	if (!plan.ok) throw new Error('seed');
	await addCareTeamMember(db, plan.value.id, worker.value.id, null);
	const planId = plan.value.id;

	const doc = new Y.Doc();
	summariseChanges(doc);
	const people = [person.value.id, worker.value.id];
	const clientOf = [1001, 2002];
	let writer = 0;
	let at = Date.now() - count * 60_000;
	const rows: NewPlanUpdate[] = [];
	doc.on('update', (update: Uint8Array, _origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) => {
		rows.push({ planId, seq: rows.length + 1, userId: people[writer]!, clientId: doc.clientID, context: 'solo', update, summary: summaryOf(transaction), at: new Date(at) });
	});
	const paragraphs = PLAN_SECTIONS.map((section) => {
		const fragment = doc.getXmlFragment(sectionField(section.id));
		const paragraph = new Y.XmlElement('paragraph');
		const text = new Y.XmlText();
		doc.transact(() => {
			fragment.push([paragraph]);
			paragraph.push([text]);
		});
		return text;
	});
	let typed = 0;
	while (rows.length < count) {
		if (typed % 150 === 0) {
			writer = (typed / 150) % 2;
			doc.clientID = clientOf[writer]!;
			at += 3 * 24 * 3600_000; // the next visit, days later
		}
		const text = paragraphs[Math.floor(typed / 150) % paragraphs.length]!;
		if (typed % 11 === 10 && text.length > 3) text.delete(text.length - 2, 1);
		else text.insert(text.length, WORDS[typed % WORDS.length]!);
		at += 2_000;
		typed += 1;
	}
	await bindPlanClients(db, clientOf.map((clientId, index) => ({ planId, clientId, userId: people[index]! })));
	await appendPlanUpdates(db, rows);
	// The server checkpoints every ~1,000 updates; the latest checkpoint is the whole document.
	await writePlanCheckpoint(db, planId, rows.length, Y.encodeStateAsUpdate(doc));
	const token = generateSessionToken();
	await createSession(db, token, worker.value.id);
	return { planId, cookie: `session=${token}` };
}

/** Times the history API (first page) and the authorship API on a plan with `count` logged updates. */
export async function benchHistoryLoad(count: number): Promise<boolean> {
	let seeded: { planId: string; cookie: string } | undefined;
	const server = await startTestServer({}, async (db) => {
		seeded = await seedLongHistory(db, count);
	});
	try {
		const { planId, cookie } = seeded!;
		const time = async (path: string) => {
			const started = performance.now();
			const response = await fetch(`${server.url}${path}`, { headers: { cookie } });
			if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
			await response.json();
			return performance.now() - started;
		};
		const measure = async (path: string) => {
			for (let run = 0; run < 3; run++) await time(path); // warm-up
			const times: number[] = [];
			for (let run = 0; run < 20; run++) times.push(await time(path));
			return times;
		};
		const history = await measure(`/api/plans/${planId}/history?limit=20`);
		const older = await measure(`/api/plans/${planId}/history?limit=20&before=${Math.floor(count / 2)}`);
		const authorship = await measure(`/api/plans/${planId}/authorship`);
		console.log(`\nHistory: a plan with ${count.toLocaleString('en')} logged updates, over HTTP from the built server (embedded database)`);
		return [
			report('history, newest 20 sessions, p95', percentile(history, 95), 200),
			report('history, a page in the middle, p95', percentile(older, 95), 200),
			report('authorship, p95', percentile(authorship, 95), 200)
		].every(Boolean);
	} finally {
		await server.dispose();
	}
}
