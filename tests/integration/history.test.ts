import { and, asc, eq, notLike } from 'drizzle-orm';
import * as Y from 'yjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findAccountByUsername } from '../../db/accounts.ts';
import { addCareTeamMember, createPlan } from '../../db/plans.ts';
import { auditEvent, planClient, planUpdate } from '../../db/schema/index.ts';
import { findTeamByName } from '../../db/teams.ts';
import type { Database } from '../../db/types.ts';
import { seedDemo } from '../../server/demo-seed.ts';
import { createCollabClientPool, eventually, type CollabClient } from '../helpers/collab-client.ts';
import { testDatabaseKind } from '../helpers/database.ts';
import { signInCookie } from '../helpers/http-session.ts';
import { appendParagraph, firstParagraphText, sectionWords } from '../helpers/plan-doc.ts';
import { readPageData, submitAction, type ActionOutcome } from '../helpers/sveltekit-requests.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

// The real built server (npm run build) with the demo team. Each test writes its own plan for Sam (care team
// Priya, Tom and Alex, Riverside team: Maria supervises it), with stock y-websocket clients typing known words.

const PEOPLE = ['sam', 'priya', 'tom', 'alex', 'maria', 'noah'] as const;
type Person = (typeof PEOPLE)[number];
const PLANS = ['authorship', 'goalStatus', 'sectionRestore', 'planRestore', 'refusedRestore', 'versions', 'access', 'audit'] as const;
type PlanName = (typeof PLANS)[number];

let server: TestServer;
const cookies = {} as Record<Person, string>;
const ids = {} as Record<Person, string>;
const plans = {} as Record<PlanName, string>;
const collabClients = createCollabClientPool();
const SECTION_IDS = ['about', 'connectedness', 'hope', 'identity', 'meaning', 'empowerment', 'barriers', 'crisis'];

/** Demo data, then one fresh plan of Sam's per test, made before the server starts (it holds the embedded database). */
async function seedPlans(db: Database): Promise<void> {
	await seedDemo(db);
	for (const person of PEOPLE) ids[person] = (await findAccountByUsername(db, person))!.id;
	const team = await findTeamByName(db, 'Riverside Community Mental Health Team');
	for (const name of PLANS) {
		const created = await createPlan(db, { title: `Sam’s ${name} plan`, serviceUserId: ids.sam, teamId: team!.id });
		if (!created.ok) throw new Error(created.error);
		plans[name] = created.value.id;
		for (const member of ['priya', 'tom', 'alex'] as const) await addCareTeamMember(db, created.value.id, ids[member], ids.priya);
	}
}

beforeAll(async () => {
	server = await startTestServer({}, seedPlans);
	for (const person of PEOPLE) cookies[person] = await signInCookie(server.url, person);
});

afterEach(() => collabClients.closeAll());

afterAll(async () => {
	collabClients.closeAll();
	await server?.dispose();
});

/** Someone opens the plan in their editor; resolves once they have everything the server has. */
const open = (person: Person, planId: string) => collabClients.open(server.url, planId, cookies[person]);

/** Waits until the server has committed everything this client sent. */
const saved = (...clients: CollabClient[]) => Promise.all(clients.map((client) => client.saves.whenSaved()));

/** A new paragraph at the end of a section, as Tiptap makes one (one change), then the words typed one per change. */
function typeParagraph(doc: Y.Doc, section: string, words: string): { text: Y.XmlText; changes: number } {
	const text = appendParagraph(doc, section);
	return { text, changes: 1 + typeAtEnd(text, words) };
}

/** Types words at the end of a text, one word (with its leading space) per change; returns how many changes. */
function typeAtEnd(text: Y.Text, words: string): number {
	const pieces = words.match(/\s*\S+/g) ?? [];
	for (const piece of pieces) text.insert(text.length, piece);
	return pieces.length;
}

/** Every section's content (paragraphs, attributes, words) and every goal, for comparing whole plans. */
const planSnapshot = (doc: Y.Doc) => ({
	sections: SECTION_IDS.map((id) => doc.getXmlFragment(`section:${id}`).toString()),
	goals: doc.getArray('goals').toJSON()
});

/** A goal in the stored shape (src/lib/editor/goals.ts), added in one change. */
function addGoal(doc: Y.Doc, words: string): string {
	const id = crypto.randomUUID();
	doc.transact(() => {
		const goal = new Y.Map<unknown>();
		goal.set('id', id);
		goal.set('domain', 'hope');
		goal.set('text', new Y.Text(words));
		goal.set('status', 'proposed');
		goal.set('targetDate', '');
		goal.set('order', 1);
		goal.set('steps', new Y.Array());
		doc.getArray('goals').push([goal]);
	});
	return id;
}

const goalText = (doc: Y.Doc, id: string) =>
	(doc
		.getArray<Y.Map<unknown>>('goals')
		.toArray()
		.find((goal) => goal.get('id') === id)
		?.get('text') as Y.Text | undefined) ?? null;

async function api(person: Person | null, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
	const response = await fetch(`${server.url}${path}`, { headers: person ? { cookie: cookies[person] } : {} });
	expect(response.headers.get('content-type')).toMatch(/application\/json/);
	return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Submits a form action as this person, the way SvelteKit's enhanced forms do. */
const submit = (person: Person, path: string, fields: Record<string, string>): Promise<ActionOutcome> =>
	submitAction(server.url, server.origin, cookies[person], path, fields);

/** The fingerprint the version page shows with its restore preview (sent back as `seen` to confirm what was shown). */
async function seenBy(person: Person, planId: string, seq: number, target: string): Promise<string> {
	const page = await readPageData(server.url, cookies[person], `/plans/${planId}/at/${seq}`);
	return (page.data?.previews as Record<string, { fingerprint: string }>)[target]!.fingerprint;
}

/** Reads the server's database while it runs. */
async function inDatabase<T>(read: (db: Database) => Promise<T>): Promise<T> {
	const storage = await server.openStorage();
	try {
		return await read(storage.db);
	} finally {
		await storage.close();
	}
}

const storedUpdates = (db: Database, planId: string) =>
	db
		.select({ seq: planUpdate.seq, userId: planUpdate.userId, writer: planClient.userId, update: planUpdate.update, summary: planUpdate.summary })
		.from(planUpdate)
		.leftJoin(planClient, and(eq(planClient.planId, planUpdate.planId), eq(planClient.clientId, planUpdate.clientId)))
		.where(eq(planUpdate.planId, planId))
		.orderBy(asc(planUpdate.seq))
		.then((rows) => rows.map((row) => ({ ...row, update: Buffer.from(row.update).toString('hex') })));

interface SessionJson {
	fromSeq: number;
	toSeq: number;
	user: { id: string; name: string; role: string; discipline: string | null };
	context: 'joint' | 'solo';
	startedAt: string;
	endedAt: string;
	changes: number;
	sections: { id: string; added: number; removed: number }[];
	goals: { added: number; changed: number; removed: number };
	/** Only on a restore: the seq of the version brought back. */
	restoredFrom?: number;
}

async function history(planId: string, query = '', person: Person = 'sam'): Promise<{ sessions: SessionJson[]; next: number | null }> {
	const { status, body } = await api(person, `/api/plans/${planId}/history${query ? `?${query}` : ''}`);
	expect(status, JSON.stringify(body)).toBe(200);
	return body as unknown as { sessions: SessionJson[]; next: number | null };
}

/** The seq of the plan's latest change, from its history. */
const latestSeq = async (planId: string) => (await history(planId, 'limit=1')).sessions[0]?.toSeq ?? 0;

interface ShareJson {
	id: string;
	name: string;
	role: string | null;
	discipline: string | null;
	kind: string;
	chars: number;
}
interface AuthorshipJson {
	total: number;
	byUser: ShareJson[];
	byRole: Record<'service_user' | 'professional' | 'peer_worker', number>;
	sections: { id: string; total: number; byUser: ShareJson[] }[];
	goals: { id: string; domain: string | null; total: number; byUser: ShareJson[] }[];
}

async function authorship(planId: string, person: Person = 'sam'): Promise<AuthorshipJson> {
	const { status, body } = await api(person, `/api/plans/${planId}/authorship`);
	expect(status, JSON.stringify(body)).toBe(200);
	return body as unknown as AuthorshipJson;
}

/** [name, chars] of a share list, for compact comparisons. */
const shares = (list: ShareJson[]) => list.map((share) => [share.name, share.chars]);
const sectionShares = (report: AuthorshipJson, id: string) => {
	const section = report.sections.find((candidate) => candidate.id === id)!;
	return { total: section.total, byUser: shares(section.byUser) };
};

describe(`plan history and authorship (${testDatabaseKind})`, () => {
	// Sam writes alone, then Priya joins: Sam adds a goal, Priya writes in hope, deletes some of Sam's words and
	// adds to his goal, Sam writes more, and Alex (a peer worker) joins and writes in meaning.
	const SAM_ABOUT = 'I grow tomatoes and beans on my allotment.';
	const PRIYA_DELETES = ' and beans';
	const SAM_GOAL = 'Walk to the allotment';
	const PRIYA_HOPE = 'Sam talks about next summer with real hope.';
	const PRIYA_GOAL = ' three times a week';
	const SAM_MORE = ' Mornings are best.';
	const ALEX_MEANING = 'Sam wants to share seeds with neighbours.';

	let script: Promise<{ goalId: string; changes: Record<'samSolo' | 'samJoint' | 'priya' | 'alex', number> }> | undefined;
	/** Writes the authorship plan once, for every test of this group. */
	function writeAuthorshipPlan() {
		script ??= (async () => {
			const planId = plans.authorship;
			const sam = await open('sam', planId);
			const samSolo = typeParagraph(sam.doc, 'about', SAM_ABOUT).changes;
			await saved(sam);

			const priya = await open('priya', planId);
			const goalId = addGoal(sam.doc, SAM_GOAL);
			await saved(sam);
			await eventually(() => expect(goalText(priya.doc, goalId)?.toString()).toBe(SAM_GOAL));
			let priyaChanges = typeParagraph(priya.doc, 'hope', PRIYA_HOPE).changes;
			firstParagraphText(priya.doc, 'about').delete(SAM_ABOUT.indexOf(PRIYA_DELETES), PRIYA_DELETES.length);
			priyaChanges += 1 + typeAtEnd(goalText(priya.doc, goalId)!, PRIYA_GOAL);
			await saved(priya);
			await eventually(() => expect(sectionWords(sam.doc, 'about')).toBe(SAM_ABOUT.replace(PRIYA_DELETES, '')));
			const samJoint = 1 + typeAtEnd(firstParagraphText(sam.doc, 'about'), SAM_MORE);
			await saved(sam);

			const alex = await open('alex', planId);
			const alexChanges = typeParagraph(alex.doc, 'meaning', ALEX_MEANING).changes;
			await saved(alex);
			collabClients.closeAll();
			return { goalId, changes: { samSolo, samJoint, priya: priyaChanges, alex: alexChanges } };
		})();
		return script;
	}

	it('credits every character to the person who wrote it: per person, role, section and goal', async () => {
		const { goalId } = await writeAuthorshipPlan();
		const report = await authorship(plans.authorship);

		const samAbout = SAM_ABOUT.length - PRIYA_DELETES.length + SAM_MORE.length;
		const sam = samAbout + SAM_GOAL.length;
		const priya = PRIYA_HOPE.length + PRIYA_GOAL.length;
		const alex = ALEX_MEANING.length;
		expect(report.total).toBe(sam + priya + alex);
		expect(report.byUser).toEqual([
			{ id: ids.sam, name: 'Sam Taylor', role: 'service_user', discipline: null, kind: 'service_user', chars: sam },
			{ id: ids.priya, name: 'Priya Shah', role: 'professional', discipline: 'social_worker', kind: 'professional', chars: priya },
			{ id: ids.alex, name: 'Alex Morgan', role: 'professional', discipline: 'peer_worker', kind: 'peer_worker', chars: alex }
		]);
		expect(report.byRole).toEqual({ service_user: sam, professional: priya, peer_worker: alex });

		expect(report.sections.map((section) => section.id)).toEqual([...SECTION_IDS, 'goals']);
		expect(sectionShares(report, 'about')).toEqual({ total: samAbout, byUser: [['Sam Taylor', samAbout]] });
		expect(sectionShares(report, 'hope')).toEqual({ total: PRIYA_HOPE.length, byUser: [['Priya Shah', PRIYA_HOPE.length]] });
		expect(sectionShares(report, 'meaning')).toEqual({ total: alex, byUser: [['Alex Morgan', alex]] });
		for (const empty of ['connectedness', 'identity', 'empowerment', 'barriers', 'crisis']) {
			expect(sectionShares(report, empty), empty).toEqual({ total: 0, byUser: [] });
		}
		const goalShares = [
			['Sam Taylor', SAM_GOAL.length],
			['Priya Shah', PRIYA_GOAL.length]
		];
		expect(sectionShares(report, 'goals')).toEqual({ total: SAM_GOAL.length + PRIYA_GOAL.length, byUser: goalShares });
		expect(report.goals).toHaveLength(1);
		expect(report.goals[0]).toMatchObject({ id: goalId, domain: 'hope', total: SAM_GOAL.length + PRIYA_GOAL.length });
		expect(shares(report.goals[0]!.byUser)).toEqual(goalShares);
	});

	it('groups the changes into one session per person and context, with deletions under the person who deleted', async () => {
		const { changes } = await writeAuthorshipPlan();
		const { sessions, next } = await history(plans.authorship);
		expect(next).toBeNull();
		expect(sessions.map((session) => [session.user.name, session.context, session.changes])).toEqual([
			['Alex Morgan', 'joint', changes.alex],
			['Sam Taylor', 'joint', changes.samJoint],
			['Priya Shah', 'joint', changes.priya],
			['Sam Taylor', 'solo', changes.samSolo]
		]);
		const [alex, samJoint, priya, samSolo] = sessions as [SessionJson, SessionJson, SessionJson, SessionJson];
		expect(alex.user).toEqual({ id: ids.alex, name: 'Alex Morgan', role: 'professional', discipline: 'peer_worker' });
		expect(alex.sections).toEqual([{ id: 'meaning', added: ALEX_MEANING.length, removed: 0 }]);
		expect(alex.goals).toEqual({ added: 0, changed: 0, removed: 0 });
		expect(samJoint.sections).toEqual([
			{ id: 'about', added: SAM_MORE.length, removed: 0 },
			{ id: 'goals', added: SAM_GOAL.length, removed: 0 }
		]);
		expect(samJoint.goals).toEqual({ added: 1, changed: 0, removed: 0 });
		expect(priya.user).toEqual({ id: ids.priya, name: 'Priya Shah', role: 'professional', discipline: 'social_worker' });
		expect(priya.sections).toEqual([
			{ id: 'about', added: 0, removed: PRIYA_DELETES.length },
			{ id: 'hope', added: PRIYA_HOPE.length, removed: 0 },
			{ id: 'goals', added: PRIYA_GOAL.length, removed: 0 }
		]);
		expect(priya.goals).toEqual({ added: 0, changed: 1, removed: 0 });
		expect(samSolo.sections).toEqual([{ id: 'about', added: SAM_ABOUT.length, removed: 0 }]);
		expect(samSolo.goals).toEqual({ added: 0, changed: 0, removed: 0 });

		// Seqs: Sam's solo writing comes first; Priya's session falls inside Sam's joint one; Alex's comes last.
		expect(samSolo.fromSeq).toBe(1);
		expect(samSolo.toSeq).toBe(changes.samSolo);
		expect(samJoint.fromSeq).toBe(samSolo.toSeq + 1);
		expect(priya.fromSeq).toBe(samJoint.fromSeq + 1);
		expect(samJoint.toSeq).toBe(priya.toSeq + changes.samJoint - 1);
		expect(alex.toSeq).toBe(samSolo.toSeq + changes.samJoint + changes.priya + changes.alex);
		for (const session of sessions) expect(Date.parse(session.startedAt)).toBeLessThanOrEqual(Date.parse(session.endedAt));
	});

	it('filters sessions by person and by section', async () => {
		await writeAuthorshipPlan();
		const summary = async (query: string) => (await history(plans.authorship, query)).sessions.map((session) => `${session.user.name}:${session.context}`);
		expect(await summary(`person=${ids.priya}`)).toEqual(['Priya Shah:joint']);
		expect(await summary(`person=${ids.sam}`)).toEqual(['Sam Taylor:joint', 'Sam Taylor:solo']);
		expect(await summary('section=hope')).toEqual(['Priya Shah:joint']);
		expect(await summary('section=about')).toEqual(['Sam Taylor:joint', 'Priya Shah:joint', 'Sam Taylor:solo']);
		expect(await summary('section=goals')).toEqual(['Sam Taylor:joint', 'Priya Shah:joint']);
		expect(await summary('section=meaning')).toEqual(['Alex Morgan:joint']);
		expect(await summary('section=crisis')).toEqual([]);
		expect(await summary(`person=${ids.sam}&section=hope`)).toEqual([]);
		expect(await summary(`person=${ids.tom}`)).toEqual([]);
	});

	it('pages with limit and next without losing or repeating a session', async () => {
		await writeAuthorshipPlan();
		const everything = (await history(plans.authorship)).sessions;
		for (const [limit, filter] of [
			[1, ''],
			[2, ''],
			[3, ''],
			[1, 'section=about'],
			[1, `person=${ids.sam}`]
		] as const) {
			const expected = (await history(plans.authorship, filter)).sessions;
			const seen: SessionJson[] = [];
			let before: number | null = null;
			let pages = 0;
			do {
				const page = await history(plans.authorship, [`limit=${limit}`, filter, before === null ? '' : `before=${before}`].filter(Boolean).join('&'));
				pages += 1;
				expect(page.sessions.length, `page ${pages} of limit ${limit} ${filter}`).toBeLessThanOrEqual(limit);
				if (page.next !== null) expect(page.sessions).toHaveLength(limit);
				seen.push(...page.sessions);
				before = page.next;
			} while (before !== null && pages < 10);
			expect(seen, `limit ${limit} ${filter}`).toEqual(expected);
			expect(pages).toBe(Math.max(1, Math.ceil(expected.length / limit)));
		}
		expect(everything).toHaveLength(4);
	});

	it('shows a change to a goal that touched no words (its status) under goals', async () => {
		const planId = plans.goalStatus;
		const sam = await open('sam', planId);
		const goalId = addGoal(sam.doc, 'Join a choir');
		await saved(sam);
		const tom = await open('tom', planId);
		tom.doc
			.getArray<Y.Map<unknown>>('goals')
			.toArray()
			.find((goal) => goal.get('id') === goalId)!
			.set('status', 'achieved');
		await saved(tom);

		const { sessions } = await history(planId, 'section=goals');
		expect(sessions.map((session) => [session.user.name, session.sections, session.goals])).toEqual([
			['Tom Becker', [], { added: 0, changed: 1, removed: 0 }],
			['Sam Taylor', [{ id: 'goals', added: 12, removed: 0 }], { added: 1, changed: 0, removed: 0 }]
		]);
		expect((await history(planId, 'section=about')).sessions).toEqual([]);
	});
});

describe(`bringing back an earlier version (${testDatabaseKind})`, () => {
	it('restores one section as a new change by the restorer, keeping history and the original writers', async () => {
		const planId = plans.sectionRestore;
		const OLD_ABOUT = 'My brother visits on Sundays.';
		const NEW_ABOUT = 'Sam would rather be alone at weekends.';
		const HOPE = 'Getting back to football.';
		const sam = await open('sam', planId);
		typeParagraph(sam.doc, 'about', OLD_ABOUT);
		await saved(sam);
		const oldSeq = await latestSeq(planId);

		const priya = await open('priya', planId);
		const priyaAbout = firstParagraphText(priya.doc, 'about');
		priyaAbout.delete(0, priyaAbout.length);
		typeAtEnd(priyaAbout, NEW_ABOUT);
		typeParagraph(priya.doc, 'hope', HOPE);
		await saved(priya);
		await eventually(() => expect(sectionWords(sam.doc, 'about')).toBe(NEW_ABOUT));
		const rowsBefore = await inDatabase((db) => storedUpdates(db, planId));

		// Sam has the plan open while Tom brings the old words back: he sees them arrive.
		const samWatching = await open('sam', planId);
		const seen = await seenBy('tom', planId, oldSeq, 'about');
		const restored = await submit('tom', `/plans/${planId}/at/${oldSeq}?/restore`, { target: 'about', confirmed: 'yes', seen });
		expect(restored).toMatchObject({ http: 200, type: 'success', status: 200, data: { restored: true, seq: rowsBefore.length + 1 } });
		await eventually(() => expect(sectionWords(samWatching.doc, 'about')).toBe(OLD_ABOUT));

		const newcomer = await open('alex', planId);
		expect(sectionWords(newcomer.doc, 'about')).toBe(OLD_ABOUT);
		expect(sectionWords(newcomer.doc, 'hope')).toBe(HOPE);

		const report = await authorship(planId);
		expect(sectionShares(report, 'about')).toEqual({ total: OLD_ABOUT.length, byUser: [['Sam Taylor', OLD_ABOUT.length]] });
		expect(sectionShares(report, 'hope')).toEqual({ total: HOPE.length, byUser: [['Priya Shah', HOPE.length]] });
		expect(report.byUser.map((share) => share.name)).not.toContain('Tom Becker');

		const [newest] = (await history(planId, 'limit=1')).sessions;
		expect(newest).toMatchObject({
			fromSeq: rowsBefore.length + 1,
			toSeq: rowsBefore.length + 1,
			user: { name: 'Tom Becker' },
			changes: 1,
			sections: [{ id: 'about', added: OLD_ABOUT.length, removed: NEW_ABOUT.length }],
			restoredFrom: oldSeq
		});

		const { rowsAfter, audits } = await inDatabase(async (db) => ({
			rowsAfter: await storedUpdates(db, planId),
			audits: await db
				.select({ actorId: auditEvent.actorId, detail: auditEvent.detail })
				.from(auditEvent)
				.where(and(eq(auditEvent.action, 'plan.restored'), eq(auditEvent.targetId, planId)))
		}));
		expect(rowsAfter).toHaveLength(rowsBefore.length + 1);
		expect(rowsAfter.slice(0, rowsBefore.length)).toEqual(rowsBefore);
		// Each row names a client id of the person it is stored under (none for Priya's change that only deleted).
		expect(rowsAfter.filter((row) => row.writer !== row.userId).map((row) => [row.userId, row.writer, row.summary?.sections])).toEqual([
			[ids.priya, null, { about: [0, OLD_ABOUT.length] }]
		]);
		expect(rowsAfter.at(-1)).toMatchObject({
			seq: rowsBefore.length + 1,
			userId: ids.tom,
			writer: ids.tom,
			summary: { sections: { about: [OLD_ABOUT.length, NEW_ABOUT.length] }, goals: { added: [], changed: [], removed: [] }, restoredFrom: oldSeq }
		});
		expect(audits).toEqual([{ actorId: ids.tom, detail: { fromSeq: oldSeq, target: 'about', newSeq: rowsBefore.length + 1 } }]);
	});

	it('restores the whole plan, goals included, with every word still credited to its writer', async () => {
		const planId = plans.planRestore;
		const ABOUT = 'I like cooking for people.';
		const GOAL_SAM = 'Cook a meal for friends';
		const GOAL_PRIYA = ' each month';
		const KEPT_GOAL = 'Sleep before midnight';
		const CRISIS = 'Call Priya first.';
		const sam = await open('sam', planId);
		const priya = await open('priya', planId);
		typeParagraph(sam.doc, 'about', ABOUT);
		const goalId = addGoal(sam.doc, GOAL_SAM);
		const keptGoalId = addGoal(sam.doc, KEPT_GOAL);
		await saved(sam);
		await eventually(() => expect(goalText(priya.doc, goalId)).not.toBeNull());
		typeAtEnd(goalText(priya.doc, goalId)!, GOAL_PRIYA);
		typeParagraph(priya.doc, 'crisis', CRISIS);
		await saved(priya);
		await eventually(() => expect(goalText(sam.doc, goalId)?.toString()).toBe(GOAL_SAM + GOAL_PRIYA));
		const agreedSeq = await latestSeq(planId);
		const planAsItWas = planSnapshot(sam.doc);

		// Then one goal goes, a new one comes, the other goal gets more words, crisis is rewritten and about grows.
		sam.doc.getArray('goals').delete(0, 1);
		addGoal(sam.doc, 'Something else');
		typeAtEnd(goalText(sam.doc, keptGoalId)!, ' most nights');
		typeAtEnd(firstParagraphText(sam.doc, 'about'), ' And baking.');
		await saved(sam);
		await eventually(() => expect(goalText(priya.doc, goalId)).toBeNull());
		const crisis = firstParagraphText(priya.doc, 'crisis');
		crisis.delete(0, crisis.length);
		typeAtEnd(crisis, 'Call the crisis line.');
		await saved(priya);
		const seqBefore = await latestSeq(planId);
		collabClients.closeAll();

		const seen = await seenBy('priya', planId, agreedSeq, 'plan');
		const restored = await submit('priya', `/plans/${planId}/at/${agreedSeq}?/restore`, { target: 'plan', confirmed: 'yes', seen });
		expect(restored).toMatchObject({ type: 'success', status: 200, data: { restored: true, seq: seqBefore + 1 } });

		const newcomer = await open('tom', planId);
		expect(planSnapshot(newcomer.doc)).toEqual(planAsItWas);
		expect(goalText(newcomer.doc, goalId)?.toString()).toBe(GOAL_SAM + GOAL_PRIYA);
		expect(goalText(newcomer.doc, keptGoalId)?.toString()).toBe(KEPT_GOAL);

		const report = await authorship(planId);
		expect(report.byUser.map((share) => [share.name, share.chars])).toEqual([
			['Sam Taylor', ABOUT.length + GOAL_SAM.length + KEPT_GOAL.length],
			['Priya Shah', CRISIS.length + GOAL_PRIYA.length]
		]);
		expect(report.goals.map((goal) => [goal.id, goal.domain, goal.total, shares(goal.byUser)])).toEqual([
			[
				goalId,
				'hope',
				GOAL_SAM.length + GOAL_PRIYA.length,
				[
					['Sam Taylor', GOAL_SAM.length],
					['Priya Shah', GOAL_PRIYA.length]
				]
			],
			[keptGoalId, 'hope', KEPT_GOAL.length, [['Sam Taylor', KEPT_GOAL.length]]]
		]);

		// One goal came back, one was changed back, and the one added since went.
		const [newest] = (await history(planId, 'limit=1')).sessions;
		expect(newest).toMatchObject({
			fromSeq: seqBefore + 1,
			toSeq: seqBefore + 1,
			user: { id: ids.priya },
			changes: 1,
			goals: { added: 1, changed: 1, removed: 1 },
			restoredFrom: agreedSeq
		});
		expect(newest!.sections).toEqual([
			{ id: 'about', added: ABOUT.length, removed: ABOUT.length + ' And baking.'.length },
			{ id: 'crisis', added: CRISIS.length, removed: 'Call the crisis line.'.length },
			{
				id: 'goals',
				added: GOAL_SAM.length + GOAL_PRIYA.length + KEPT_GOAL.length,
				removed: 'Something else'.length + KEPT_GOAL.length + ' most nights'.length
			}
		]);

		// Bringing back what is already there is refused, and adds nothing to the history.
		const again = await submit('priya', `/plans/${planId}/at/${agreedSeq}?/restore`, { target: 'plan', confirmed: 'yes' });
		expect(again).toMatchObject({ type: 'failure', status: 409, data: { code: 'restore-no-change' } });
		expect(await latestSeq(planId)).toBe(seqBefore + 1);
	});

	it('refuses a restore that is not confirmed, by a supervisor, or by someone outside the plan, and changes nothing', async () => {
		const planId = plans.refusedRestore;
		const sam = await open('sam', planId);
		const { text } = typeParagraph(sam.doc, 'about', 'First words.');
		await saved(sam);
		const firstSeq = await latestSeq(planId);
		typeAtEnd(text, ' Second words.');
		await saved(sam);
		const seqBefore = await latestSeq(planId);
		const path = `/plans/${planId}/at/${firstSeq}?/restore`;

		expect(await submit('sam', path, { target: 'about' })).toMatchObject({
			type: 'failure',
			status: 400,
			data: { message: 'Please confirm that you want to bring this back.' }
		});
		expect(await submit('sam', path, { target: 'about', confirmed: 'no' })).toMatchObject({ type: 'failure', status: 400 });
		expect(await submit('sam', path, { target: 'goals-and-more', confirmed: 'yes' })).toMatchObject({ type: 'failure', status: 400 });
		expect(await submit('maria', path, { target: 'about', confirmed: 'yes' })).toMatchObject({ type: 'failure', status: 403 });
		expect(await submit('noah', path, { target: 'about', confirmed: 'yes' })).toMatchObject({ http: 404, type: 'error', status: 404 });
		expect(await submit('sam', `/plans/${planId}/at/${seqBefore + 50}?/restore`, { target: 'about', confirmed: 'yes' })).toMatchObject({
			type: 'failure',
			status: 404
		});
		// It would remove words: confirmed without naming what the page showed (or naming something else), it is refused.
		for (const seen of [undefined, 'not-what-was-shown'])
			expect(await submit('sam', path, { target: 'about', confirmed: 'yes', ...(seen ? { seen } : {}) })).toMatchObject({
				type: 'failure',
				status: 409,
				data: { code: 'restore-preview-outdated' }
			});
		// A restore that would change nothing is not offered, and refused.
		const sameNow = await readPageData(server.url, cookies.sam, `/plans/${planId}/at/${seqBefore}`);
		expect((sameNow.data?.previews as Record<string, { same: boolean }>).about).toMatchObject({ same: true });
		expect(await submit('sam', `/plans/${planId}/at/${seqBefore}?/restore`, { target: 'about', confirmed: 'yes' })).toMatchObject({
			type: 'failure',
			status: 409,
			data: { code: 'restore-no-change', message: 'This section is the same as now.' }
		});

		expect(await latestSeq(planId)).toBe(seqBefore);
		const newcomer = await open('priya', planId);
		expect(sectionWords(newcomer.doc, 'about')).toBe('First words. Second words.');
	});
});

interface VersionJson {
	id: string;
	seq: number;
	kind: string;
	name: string;
	createdAt: string;
	createdBy: { id: string; name: string };
	status: 'agreed' | 'disagreed' | 'waiting';
	signOffs: { user: { id: string; name: string; role: string }; decision: string; reason: string | null; at: string }[];
}

async function versions(planId: string, person: Person = 'sam'): Promise<VersionJson[]> {
	const { status, body } = await api(person, `/api/plans/${planId}/versions`);
	expect(status, JSON.stringify(body)).toBe(200);
	return (body as { versions: VersionJson[] }).versions;
}

describe(`agreeing versions (${testDatabaseKind})`, () => {
	it('is agreed once Sam and a professional agree, disagreed with Sam’s reason, and refuses answers that are not theirs to give', async () => {
		const planId = plans.versions;
		const sam = await open('sam', planId);
		typeParagraph(sam.doc, 'about', 'What I want from my care.');
		await saved(sam);
		const seq = await latestSeq(planId);
		const path = (action: string) => `/plans/${planId}/versions?/${action}`;

		expect(await submit('priya', path('agree'), { name: 'Agreed in March' })).toMatchObject({ type: 'success', status: 200 });
		let [agreement] = await versions(planId);
		expect(agreement).toMatchObject({
			seq,
			kind: 'agreement',
			name: 'Agreed in March',
			createdBy: { id: ids.priya, name: 'Priya Shah' },
			status: 'waiting',
			signOffs: [{ user: { id: ids.priya, name: 'Priya Shah', role: 'professional' }, decision: 'agree', reason: null }]
		});

		expect(await submit('sam', path('signOff'), { version: agreement!.id, decision: 'agree' })).toMatchObject({ type: 'success' });
		[agreement] = await versions(planId);
		expect(agreement!.status).toBe('agreed');
		expect(agreement!.signOffs.map((signOff) => [signOff.user.id, signOff.decision])).toEqual([
			[ids.priya, 'agree'],
			[ids.sam, 'agree']
		]);

		typeAtEnd(firstParagraphText(sam.doc, 'about'), ' And what I do not want.');
		await saved(sam);
		expect(await submit('tom', path('save'), { name: 'Before the review' })).toMatchObject({ type: 'success' });
		const [review, previous] = await versions(planId);
		expect(previous!.id).toBe(agreement!.id);
		expect(review).toMatchObject({ seq: await latestSeq(planId), kind: 'manual', name: 'Before the review', status: 'waiting', signOffs: [] });

		expect(await submit('priya', path('signOff'), { version: review!.id, decision: 'disagree', reason: 'Too long' })).toMatchObject({
			type: 'failure',
			status: 403
		});
		expect(await submit('sam', path('signOff'), { version: review!.id, decision: 'disagree' })).toMatchObject({
			type: 'failure',
			status: 400,
			data: { message: 'Please say, in your own words, what you do not agree with.' }
		});
		expect(await submit('sam', path('signOff'), { version: review!.id, decision: 'disagree', reason: '   ' })).toMatchObject({ type: 'failure', status: 400 });
		expect(await submit('maria', path('signOff'), { version: review!.id, decision: 'agree' })).toMatchObject({ type: 'failure', status: 403 });
		expect(await submit('maria', path('agree'), {})).toMatchObject({ type: 'failure', status: 403 });
		expect(await submit('sam', path('signOff'), { version: crypto.randomUUID(), decision: 'agree' })).toMatchObject({ type: 'failure', status: 404 });
		expect(await submit('sam', path('signOff'), { version: review!.id, decision: 'maybe' })).toMatchObject({ type: 'failure', status: 400 });
		expect(await submit('noah', path('signOff'), { version: review!.id, decision: 'agree' })).toMatchObject({ http: 404, type: 'error' });

		expect(await submit('priya', path('signOff'), { version: review!.id, decision: 'agree' })).toMatchObject({ type: 'success' });
		const reason = 'I did not say that about my brother.';
		expect(await submit('sam', path('signOff'), { version: review!.id, decision: 'disagree', reason })).toMatchObject({ type: 'success' });
		const [disagreed, stillAgreed] = await versions(planId, 'maria');
		expect(disagreed).toMatchObject({ id: review!.id, status: 'disagreed' });
		expect(disagreed!.signOffs.map((signOff) => [signOff.user.name, signOff.decision, signOff.reason])).toEqual([
			['Priya Shah', 'agree', null],
			['Sam Taylor', 'disagree', reason]
		]);
		expect(stillAgreed).toMatchObject({ id: agreement!.id, status: 'agreed' });

		// Each answer was recorded once in the audit trail, with the versions that were made.
		const audits = await inDatabase((db) =>
			db
				.select({ action: auditEvent.action, actorId: auditEvent.actorId, detail: auditEvent.detail })
				.from(auditEvent)
				.where(eq(auditEvent.targetId, planId))
				.orderBy(asc(auditEvent.id))
		);
		const made = audits.filter((event) => event.action === 'version.created');
		expect(made.map((event) => [event.actorId, event.detail])).toEqual([
			[ids.priya, { versionId: agreement!.id, seq, kind: 'agreement' }],
			[ids.tom, { versionId: review!.id, seq: review!.seq, kind: 'manual' }]
		]);
		const answers = audits.filter((event) => event.action === 'version.signed_off');
		expect(answers.map((event) => [event.actorId, event.detail])).toEqual([
			[ids.priya, { versionId: agreement!.id, decision: 'agree' }],
			[ids.sam, { versionId: agreement!.id, decision: 'agree' }],
			[ids.priya, { versionId: review!.id, decision: 'agree' }],
			[ids.sam, { versionId: review!.id, decision: 'disagree' }]
		]);
	});
});

describe(`history API access (${testDatabaseKind})`, () => {
	const paths = (planId: string) => [`/api/plans/${planId}/history`, `/api/plans/${planId}/authorship`, `/api/plans/${planId}/versions`];

	it('lets the team’s supervisor read, hides the plan from others (404, as for no plan) and asks strangers to sign in', async () => {
		const planId = plans.access;
		const sam = await open('sam', planId);
		typeParagraph(sam.doc, 'about', 'Read by my team.');
		await saved(sam);
		collabClients.closeAll();

		for (const path of paths(planId)) {
			expect((await api('maria', path)).status, path).toBe(200);
			expect(await api('noah', path), path).toEqual({
				status: 404,
				body: { code: 'plan-not-found', error: expect.stringMatching(/could not find that plan/) }
			});
			expect(await api(null, path), path).toEqual({ status: 401, body: { code: 'sign-in-required', error: 'Please sign in.' } });
		}
		for (const path of paths(crypto.randomUUID())) expect((await api('sam', path)).status, path).toBe(404);

		const report = await authorship(planId, 'maria');
		expect(report.byUser).toEqual([{ id: ids.sam, name: 'Sam Taylor', role: 'service_user', discipline: null, kind: 'service_user', chars: 16 }]);
		expect((await history(planId, '', 'maria')).sessions.map((session) => [session.user.id, session.context])).toEqual([[ids.sam, 'solo']]);
	});

	it('answers 400 with a message for a bad query', async () => {
		const planId = plans.access;
		const cases: [string, RegExp][] = [
			['limit=0', /"limit" must be a whole number from 1 to 100/],
			['limit=1000', /"limit"/],
			['before=abc', /"before" must be a whole number/],
			['section=nope', /"section" must be one of/],
			['person=not-a-uuid', /"person" must be the id of a person/]
		];
		for (const [query, message] of cases) {
			const { status, body } = await api('sam', `/api/plans/${planId}/history?${query}`);
			expect(status, query).toBe(400);
			expect(body.error, query).toMatch(message);
		}
		// A bad query from someone who may not see the plan still reveals nothing about it.
		expect((await api('noah', `/api/plans/${planId}/history?limit=0`)).status).toBe(404);
	});

	it('records each view of the history in the audit trail, and each refusal', async () => {
		const planId = plans.audit;
		const sam = await open('sam', planId);
		typeParagraph(sam.doc, 'about', 'Seen by my team.');
		await saved(sam);
		collabClients.closeAll();
		for (const path of paths(planId)) expect((await api('maria', path)).status, path).toBe(200);
		expect((await api('maria', `/api/plans/${planId}/history?limit=1&section=about`)).status).toBe(200);
		expect((await api('maria', `/api/plans/${planId}/history?limit=0`)).status).toBe(400);
		expect((await api('noah', paths(planId)[0]!)).status).toBe(404);
		expect((await api(null, paths(planId)[1]!)).status).toBe(401);
		// The history pages record their views too (their data, without rendering them).
		const latest = (await history(planId, 'limit=1', 'maria')).sessions[0]!.toSeq;
		for (const page of ['history', 'at/1', `compare?from=1&to=${latest}`, 'versions']) {
			expect((await readPageData(server.url, cookies.maria, `/plans/${planId}/${page}`)).status, page).toBe(200);
		}

		const events = await inDatabase((db) =>
			db
				.select({ action: auditEvent.action, actorId: auditEvent.actorId, detail: auditEvent.detail })
				.from(auditEvent)
				// The seed's care-team changes are recorded too; they are not what this test is about.
				.where(and(eq(auditEvent.targetType, 'plan'), eq(auditEvent.targetId, planId), notLike(auditEvent.action, 'care_team.%')))
				.orderBy(asc(auditEvent.id))
		);
		expect(events).toEqual([
			{ action: 'history.viewed', actorId: ids.maria, detail: { view: 'timeline', api: true } },
			{ action: 'history.viewed', actorId: ids.maria, detail: { view: 'authorship', api: true } },
			{ action: 'history.viewed', actorId: ids.maria, detail: { view: 'versions', api: true } },
			{ action: 'history.viewed', actorId: ids.maria, detail: { view: 'timeline', api: true } },
			{ action: 'access.denied', actorId: ids.noah, detail: null },
			{ action: 'history.viewed', actorId: ids.maria, detail: { view: 'timeline', api: true } },
			{ action: 'history.viewed', actorId: ids.maria, detail: { view: 'timeline' } },
			{ action: 'history.viewed', actorId: ids.maria, detail: { view: 'version', seq: 1 } },
			{ action: 'history.viewed', actorId: ids.maria, detail: { view: 'compare', fromSeq: 1, toSeq: latest } },
			{ action: 'history.viewed', actorId: ids.maria, detail: { view: 'versions' } }
		]);
	});
});
