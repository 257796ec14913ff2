import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addGoal, goalsOf } from '../../src/lib/editor/goals.ts';
import { CLOSE_CODES, MESSAGE_AWARENESS, MESSAGE_SAVED } from '../../src/lib/shared/collab-protocol.ts';
import { createCollabClientPool, eventually, type CollabClient } from '../helpers/collab-client.ts';
import { postgresClient, testDatabaseKind } from '../helpers/database.ts';
import { planIdsOnHome, signInCookie } from '../helpers/http-session.ts';
import { appendParagraph, PLAN_CONTENT_MARKER, sectionWords } from '../helpers/plan-doc.ts';
import { openRawSocket, syncMessage } from '../helpers/raw-socket.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

// Hostile document updates, each a finding of the security review, sent with raw frames to the real built server
// while honest people use the stock y-websocket client on the same plan.
let server: TestServer;
const cookies: Record<string, string> = {};
let planId: string;
const pool = createCollabClientPool();

beforeAll(async () => {
	server = await startTestServer();
	for (const who of ['sam', 'priya', 'tom', 'maria']) cookies[who] = await signInCookie(server.url, who);
	planId = (await planIdsOnHome(server.url, cookies.sam!))[0]!;
});

afterEach(() => pool.closeAll());

afterAll(async () => {
	pool.closeAll();
	await server?.dispose();
});

const open = (who: string) => pool.open(server.url, planId, cookies[who]!);
const socketUrl = () => `${server.url.replace('http', 'ws')}/collab/${planId}`;

/** Sends one document update on a new socket as `who`; resolves with the close code, or 'saved' once acknowledged. */
async function sendUpdate(who: string, update: Uint8Array): Promise<{ outcome: number | 'saved'; acknowledged: boolean }> {
	const raw = await openRawSocket(socketUrl(), { origin: server.origin, cookie: cookies[who]! });
	raw.socket.send(syncMessage(2, update));
	const saved = eventually(() => {
		if (!raw.received.some((message) => message[0] === MESSAGE_SAVED)) throw new Error('not yet');
		return 'saved' as const;
	}, 5_000);
	const outcome = await Promise.race([raw.closed.then((closed) => closed.code), saved]);
	const acknowledged = raw.received.some((message) => message[0] === MESSAGE_SAVED);
	raw.socket.terminate();
	return { outcome, acknowledged };
}

/** A document with everything the server has committed, to build hostile updates on. */
async function copyOfPlan(): Promise<Y.Doc> {
	const witness = await open('priya');
	const doc = new Y.Doc();
	Y.applyUpdate(doc, Y.encodeStateAsUpdate(witness.doc));
	return doc;
}

/** Pages answer promptly, for everyone: the hostile message hurt no one else. */
async function expectPagesServed(): Promise<void> {
	const started = performance.now();
	const login = await fetch(`${server.url}/login`);
	expect(login.status).toBe(200);
	expect(performance.now() - started, 'GET /login answered within 1 s').toBeLessThan(1_000);
	expect((await fetch(`${server.url}/plans/${planId}`, { headers: { cookie: cookies.sam! } })).status).toBe(200);
	expect((await fetch(`${server.url}/api/plans/${planId}/authorship`, { headers: { cookie: cookies.priya! } })).status).toBe(200);
	expect((await fetch(`${server.url}/audit/plans/${planId}`, { headers: { cookie: cookies.maria! } })).status).toBe(200);
}

/** Two honest editors still converge, each acknowledged. */
async function expectEditorsConverge(section: string, sam?: CollabClient, priya?: CollabClient): Promise<void> {
	const [samClient, priyaClient] = await Promise.all([sam ?? open('sam'), priya ?? open('priya')]);
	const words = `${PLAN_CONTENT_MARKER} ${crypto.randomUUID()}`;
	appendParagraph(samClient.doc, section, words);
	await samClient.saves.whenSaved();
	await eventually(() => expect(sectionWords(priyaClient.doc, section)).toContain(words));
}

/** Characters each person wrote in the current plan, from the authorship API. */
async function authorship(): Promise<Map<string, number>> {
	const report = (await (await fetch(`${server.url}/api/plans/${planId}/authorship`, { headers: { cookie: cookies.priya! } })).json()) as {
		byUser: { name: string; chars: number }[];
	};
	return new Map(report.byUser.map((share) => [share.name, share.chars]));
}

describe(`hostile document updates (${testDatabaseKind})`, () => {
	it('refuses a root type named __proto__; every page keeps answering for everyone', async () => {
		const attacker = await copyOfPlan();
		const before = Y.encodeStateVector(attacker);
		attacker.getText('__proto__').insert(0, 'x');
		expect(await sendUpdate('tom', Y.encodeStateAsUpdate(attacker, before))).toEqual({ outcome: CLOSE_CODES.refusedChange, acknowledged: false });
		await expectPagesServed();
		await expectEditorsConverge('about');
		const late = await open('tom');
		expect([...late.doc.share.keys()].every((name) => name === 'goals' || name.startsWith('section:'))).toBe(true);
	});

	it('refuses 20,000 nested maps inside a goal; the plan, its authorship and its audit page stay readable', async () => {
		const sam = await open('sam');
		const goalId = addGoal(sam.doc, 'hope', 'Walk to the park');
		await sam.saves.whenSaved();
		const attacker = await copyOfPlan();
		const before = Y.encodeStateVector(attacker);
		const goal = goalsOf(attacker)
			.toArray()
			.find((candidate) => candidate.get('id') === goalId)!;
		attacker.transact(() => {
			let map = new Y.Map<unknown>();
			goal.set('steps', map);
			for (let level = 0; level < 20_000; level++) {
				const inner = new Y.Map<unknown>();
				map.set('deeper', inner);
				map = inner;
			}
		});
		const update = Y.encodeStateAsUpdate(attacker, before);
		expect(update.byteLength).toBeLessThan(1024 * 1024);
		expect(await sendUpdate('tom', update)).toEqual({ outcome: CLOSE_CODES.refusedChange, acknowledged: false });
		await expectPagesServed();
		await expectEditorsConverge('hope', sam);
	});

	it('never stores text riding on another person’s next character, nor says it was saved', async () => {
		const sam = await open('sam');
		const goalId = addGoal(sam.doc, 'empowerment', 'I decide.');
		await sam.saves.whenSaved();
		const samsText = () =>
			goalsOf(sam.doc)
				.toArray()
				.find((goal) => goal.get('id') === goalId)!
				.get('text') as Y.Text;
		const samBefore = (await authorship()).get('Sam Taylor') ?? 0;

		// Priya foresees Sam's next keystroke (same client id and clock) and writes after it.
		const foreseen = await copyOfPlan();
		foreseen.clientID = sam.doc.clientID;
		(
			goalsOf(foreseen)
				.toArray()
				.find((goal) => goal.get('id') === goalId)!
				.get('text') as Y.Text
		).insert(9, ' ');
		const attacker = new Y.Doc();
		Y.applyUpdate(attacker, Y.encodeStateAsUpdate(foreseen));
		const before = Y.encodeStateVector(attacker);
		(
			goalsOf(attacker)
				.toArray()
				.find((goal) => goal.get('id') === goalId)!
				.get('text') as Y.Text
		).insert(10, 'I agree to depot medication.');
		const riding = await sendUpdate('priya', Y.encodeStateAsUpdate(attacker, before));
		expect(riding).toEqual({ outcome: CLOSE_CODES.resync, acknowledged: false });

		// Sam types that very character.
		samsText().insert(9, ' ');
		await sam.saves.whenSaved();
		const late = await open('tom');
		const lateGoal = goalsOf(late.doc)
			.toArray()
			.find((goal) => goal.get('id') === goalId)!;
		expect((lateGoal.get('text') as Y.Text).toString()).toBe('I decide. ');
		expect(samsText().toString()).toBe('I decide. ');
		expect((await authorship()).get('Sam Taylor')).toBe(samBefore + 1);
	});

	it('refuses a NUL character in a goal id; the room and everyone in it carry on, and no log line holds plan content', async () => {
		const [sam, priya] = await Promise.all([open('sam'), open('priya')]);
		const attacker = await copyOfPlan();
		const before = Y.encodeStateVector(attacker);
		attacker.transact(() => {
			const goal = new Y.Map<unknown>();
			goal.set('id', `goal\u0000${PLAN_CONTENT_MARKER}`);
			goal.set('domain', 'meaning');
			goal.set('text', new Y.Text(`${PLAN_CONTENT_MARKER} with a NUL`));
			goalsOf(attacker).push([goal]);
		});
		// Honest typing in the same moment, so that a failing group commit would have carried it too.
		appendParagraph(sam.doc, 'meaning', `${PLAN_CONTENT_MARKER} typed alongside`);
		expect((await sendUpdate('priya', Y.encodeStateAsUpdate(attacker, before))).outcome).toBe(CLOSE_CODES.refusedChange);
		await sam.saves.whenSaved();
		await expectEditorsConverge('meaning', sam, priya);
		expect(sam.closes).toEqual([]);
		expect(priya.closes).toEqual([]);
		expect(server.output()).not.toContain(PLAN_CONTENT_MARKER);
		expect(server.output()).toContain('refused a change');
	});

	it('refuses elements the editor does not know, so no opener’s browser deletes them as their own edit', async () => {
		const attacker = await copyOfPlan();
		const before = Y.encodeStateVector(attacker);
		attacker.getXmlFragment('section:identity').insert(0, [new Y.XmlElement('iframe')]);
		expect((await sendUpdate('tom', Y.encodeStateAsUpdate(attacker, before))).outcome).toBe(CLOSE_CODES.refusedChange);
		const late = await open('sam');
		expect(late.doc.getXmlFragment('section:identity').toString()).not.toContain('iframe');
	});

	it('keeps an announced editor id for its owner: a co-editor cannot write with it first', async () => {
		const sam = await open('sam');
		const priya = await open('priya');
		await eventually(() => expect(priya.provider.awareness.getStates().has(sam.doc.clientID)).toBe(true));
		// Tom writes under the id Sam's presence announced, before Sam has written anything with it.
		const squatter = await copyOfPlan();
		squatter.clientID = sam.doc.clientID;
		const before = Y.encodeStateVector(squatter);
		appendParagraph(squatter, 'barriers', 'squatted');
		expect((await sendUpdate('tom', Y.encodeStateAsUpdate(squatter, before))).outcome).toBe(CLOSE_CODES.forgedClientId);
		appendParagraph(sam.doc, 'barriers', 'Sam’s own words');
		await sam.saves.whenSaved();
		expect(sam.closes).toEqual([]);
		await eventually(() => expect(sectionWords(priya.doc, 'barriers')).toBe('Sam’s own words'));
	});

	it('keeps a presence id for its owner while they reconnect: nobody else can take it', async () => {
		const sam = await open('sam');
		const priya = await open('priya');
		const samId = sam.doc.clientID;
		await eventually(() => expect(priya.provider.awareness.getStates().has(samId)).toBe(true));
		sam.provider.disconnect();
		await eventually(() => expect(priya.provider.awareness.getStates().has(samId)).toBe(false));

		const raw = await openRawSocket(socketUrl(), { origin: server.origin, cookie: cookies.tom! });
		const fake = new awarenessProtocol.Awareness(new Y.Doc());
		fake.clientID = samId;
		fake.setLocalState({ cursor: null });
		fake.meta.set(samId, { clock: 1, lastUpdated: Date.now() });
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, 1);
		encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(fake, [samId]));
		raw.socket.send(encoding.toUint8Array(encoder));
		// The server handles a socket's messages in order and sends on each in order: once its answer to a sync request
		// sent after the presence is here, so is anything that presence made it send everyone.
		raw.socket.send(syncMessage(0, Y.encodeStateVector(new Y.Doc())));
		await eventually(() => expect(raw.received.some((message) => message[0] === 0 && message[1] === 1)).toBe(true));
		const everyone = new awarenessProtocol.Awareness(new Y.Doc());
		for (const message of raw.received.filter((received) => received[0] === MESSAGE_AWARENESS)) {
			awarenessProtocol.applyAwarenessUpdate(everyone, decoding.readVarUint8Array(decoding.createDecoder(message.subarray(1))), null);
		}
		expect(everyone.getStates().has(samId), 'Tom could not show up under Sam’s id').toBe(false);
		expect(priya.provider.awareness.getStates().has(samId), 'Tom could not show up under Sam’s id').toBe(false);

		sam.provider.connect();
		await eventually(() => {
			const state = priya.provider.awareness.getStates().get(samId) as { user?: { name: string } } | undefined;
			expect(state?.user?.name).toBe('Sam Taylor');
		});
		raw.socket.terminate();
	});

	it('bounds how much one person can make the server read: a flood of large changes over several sockets is cut off', async () => {
		// 2 MiB in a burst per person: three changes of 0.9 MiB from the same person, each on its own socket.
		const outcomes: (number | 'saved')[] = [];
		for (let index = 0; index < 3; index++) {
			const flooder = await copyOfPlan();
			const before = Y.encodeStateVector(flooder);
			appendParagraph(flooder, 'crisis', 'x'.repeat(900 * 1024));
			outcomes.push((await sendUpdate('priya', Y.encodeStateAsUpdate(flooder, before))).outcome);
		}
		expect(outcomes.slice(0, 2)).toEqual(['saved', 'saved']);
		expect(outcomes[2]).toBe(CLOSE_CODES.rateLimited);
		await expectPagesServed();
		await expectEditorsConverge('connectedness');
	});

	it('logs a failed commit without the words or query values, then stores everything once it can', async () => {
		const sql = postgresClient(server.databaseUrl!);
		try {
			const sam = await open('sam');
			await sql`ALTER TABLE plan_update ADD CONSTRAINT chorus_test_refuse CHECK (false) NOT VALID`;
			const goalId = `${PLAN_CONTENT_MARKER}-goal`;
			sam.doc.transact(() => {
				const goal = new Y.Map<unknown>();
				goal.set('id', goalId);
				goal.set('domain', 'connectedness');
				goal.set('text', new Y.Text(`${PLAN_CONTENT_MARKER}: call my brother`));
				goalsOf(sam.doc).push([goal]);
			});
			await eventually(() => expect(sam.closes.some((close) => close.code === 1011)).toBe(true));
			expect(server.output()).toContain('could not save changes to plan');
			expect(server.output()).not.toContain(PLAN_CONTENT_MARKER);
			await sql`ALTER TABLE plan_update DROP CONSTRAINT chorus_test_refuse`;
			await sam.saves.whenSaved();
			const late = await open('tom');
			expect(
				goalsOf(late.doc)
					.toArray()
					.some((goal) => goal.get('id') === goalId)
			).toBe(true);
		} finally {
			await sql`ALTER TABLE plan_update DROP CONSTRAINT IF EXISTS chorus_test_refuse`;
			await sql.end();
		}
	});
});
