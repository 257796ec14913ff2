import { eq } from 'drizzle-orm';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planClient, planUpdate, user } from '../../db/schema/index.ts';
import { CLOSE_CODES } from '../../src/lib/shared/collab-protocol.ts';
import { connectCollabClient, eventually, type CollabClient } from '../helpers/collab-client.ts';
import { testDatabaseKind } from '../helpers/database.ts';
import { planIdsOnHome, signInCookie } from '../helpers/http-session.ts';
import { appendParagraph, firstParagraphText, sectionWords } from '../helpers/plan-doc.ts';
import { openRawSocket, syncMessage, upgradeAnswer, upgradeStatus } from '../helpers/raw-socket.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

// The real built server (npm run build) with the demo team, and the stock y-websocket client.
let server: TestServer;
const cookies: Record<string, string> = {};
let samPlan: string;
let leePlan: string;
const clients: CollabClient[] = [];

function client(who: string, planId = samPlan): CollabClient {
	const connected = connectCollabClient(server.url, planId, { cookie: cookies[who] });
	clients.push(connected);
	return connected;
}

const socketUrl = (planId: string) => `${server.url.replace('http', 'ws')}/collab/${planId}`;

beforeAll(async () => {
	server = await startTestServer();
	for (const who of ['sam', 'priya', 'tom', 'maria', 'noah', 'lee']) cookies[who] = await signInCookie(server.url, who);
	samPlan = (await planIdsOnHome(server.url, cookies.sam!))[0]!;
	leePlan = (await planIdsOnHome(server.url, cookies.lee!))[0]!;
});

afterAll(async () => {
	for (const connected of clients) connected.destroy();
	await server?.dispose();
});

describe(`collaboration server (${testDatabaseKind})`, () => {
	it('answers 401, 403 and 404 before any socket exists', async () => {
		const origin = server.origin;
		expect(await upgradeStatus(socketUrl(samPlan), { origin })).toBe(401);
		expect(await upgradeStatus(socketUrl(samPlan), { origin, cookie: 'session=not-a-real-session' })).toBe(401);
		expect(await upgradeStatus(socketUrl(samPlan), { origin: 'https://evil.example', cookie: cookies.sam! })).toBe(403);
		expect(await upgradeStatus(socketUrl(samPlan), { cookie: cookies.sam! })).toBe(403);
		// A plan someone may not open and a plan that does not exist get the same answer, as on the pages.
		const unknown = await upgradeAnswer(socketUrl(crypto.randomUUID()), { origin, cookie: cookies.sam! });
		expect(unknown.status).toBe(404);
		expect(await upgradeAnswer(socketUrl(samPlan), { origin, cookie: cookies.noah! })).toEqual(unknown);
		expect(await upgradeAnswer(socketUrl(leePlan), { origin, cookie: cookies.sam! })).toEqual(unknown);
		expect(await upgradeStatus(`${server.url.replace('http', 'ws')}/collab/not-a-plan`, { origin, cookie: cookies.sam! })).toBe(404);
		expect(await upgradeStatus(socketUrl(samPlan), { origin, cookie: cookies.sam! })).toBe(101);
	});

	it('lets two people write together; a third joining later gets everything', async () => {
		const sam = client('sam');
		const priya = client('priya');
		await Promise.all([sam.synced(), priya.synced()]);
		appendParagraph(sam.doc, 'about', 'I love my allotment.');
		appendParagraph(priya.doc, 'connectedness', 'Priya was here');
		await Promise.all([sam.saves.whenSaved(), priya.saves.whenSaved()]);
		await eventually(() => expect(sectionWords(priya.doc, 'about')).toContain('I love my allotment.'));
		await eventually(() => expect(sectionWords(sam.doc, 'connectedness')).toBe('Priya was here'));

		const tom = client('tom');
		await tom.synced();
		expect(sectionWords(tom.doc, 'about')).toContain('I love my allotment.');
		expect(sectionWords(tom.doc, 'connectedness')).toBe('Priya was here');
	});

	it('stamps the server’s identity on presence, whatever a client claims', async () => {
		const sam = client('sam');
		const priya = client('priya');
		await Promise.all([sam.synced(), priya.synced()]);
		sam.provider.awareness.setLocalStateField('user', { id: 'someone-else', name: 'The Director', kind: 'professional' });
		await eventually(() => {
			const seen = priya.provider.awareness.getStates().get(sam.doc.clientID) as { user?: { name: string; kind: string } } | undefined;
			expect(seen?.user).toMatchObject({ name: 'Sam Taylor', kind: 'service_user', readOnly: false });
		});
	});

	it('drops a supervisor’s changes without storing them, while they still see and are seen', async () => {
		const maria = client('maria');
		const sam = client('sam');
		await Promise.all([maria.synced(), sam.synced()]);
		appendParagraph(maria.doc, 'hope', 'changed by a supervisor');
		maria.provider.awareness.setLocalStateField('cursor', null);
		await eventually(() =>
			expect([...sam.provider.awareness.getStates().values()].some((state) => (state as { user?: { name: string } }).user?.name === 'Maria Okafor')).toBe(true)
		);
		appendParagraph(sam.doc, 'hope', 'sam after');
		await sam.saves.whenSaved();
		const late = client('tom');
		await late.synced();
		expect(sectionWords(late.doc, 'hope')).toBe('sam after');
		expect(maria.saves.state).not.toBe('saved');
	});

	it('refuses a change that uses another person’s editor id, and closes only that socket', async () => {
		const sam = client('sam');
		await sam.synced();
		appendParagraph(sam.doc, 'identity', 'mine');
		await sam.saves.whenSaved();

		const forger = new Y.Doc();
		Y.applyUpdate(forger, Y.encodeStateAsUpdate(sam.doc));
		forger.clientID = sam.doc.clientID; // after applying: Yjs would switch away from an id it sees arrive
		const before = Y.encodeStateVector(forger);
		firstParagraphText(forger, 'identity').insert(4, ' (not really)');
		const raw = await openRawSocket(socketUrl(samPlan), { origin: server.origin, cookie: cookies.priya! });
		raw.socket.send(syncMessage(2, Y.encodeStateAsUpdate(forger, before)));
		expect((await raw.closed).code).toBe(CLOSE_CODES.forgedClientId);

		firstParagraphText(sam.doc, 'identity').insert(0, 'still ');
		await sam.saves.whenSaved();
		const late = client('tom');
		await late.synced();
		expect(sectionWords(late.doc, 'identity')).toBe('still mine');
	});

	it('neither applies nor acknowledges a change that builds on content the server does not have', async () => {
		const writer = new Y.Doc();
		const updates: Uint8Array[] = [];
		writer.on('update', (update: Uint8Array) => updates.push(update));
		appendParagraph(writer, 'meaning', 'first ');
		firstParagraphText(writer, 'meaning').insert(6, 'second');
		const raw = await openRawSocket(socketUrl(samPlan), { origin: server.origin, cookie: cookies.priya! });
		raw.socket.send(syncMessage(2, updates[1]!));
		expect((await raw.closed).code).toBe(CLOSE_CODES.resync);
		expect(raw.received.some((message) => message[0] === 100)).toBe(false);
		const late = client('tom');
		await late.synced();
		expect(sectionWords(late.doc, 'meaning')).toBe('');
		// The stock client recovers: reconnecting sends everything, in order.
		const priya = connectCollabClient(server.url, samPlan, { cookie: cookies.priya, doc: writer });
		clients.push(priya);
		await priya.synced();
		await priya.saves.whenSaved();
		await eventually(() => expect(sectionWords(late.doc, 'meaning')).toBe('first second'));
	});

	it('closes only the socket that sends malformed, text or oversized frames', async () => {
		const sam = client('sam');
		const priya = client('priya');
		await Promise.all([sam.synced(), priya.synced()]);
		const headers = { origin: server.origin, cookie: cookies.tom! };

		const garbage = await openRawSocket(socketUrl(samPlan), headers);
		garbage.socket.send(new Uint8Array([0, 2, 200, 1, 2, 3]));
		expect((await garbage.closed).code).toBe(CLOSE_CODES.malformedMessage);

		const badUpdate = await openRawSocket(socketUrl(samPlan), headers);
		badUpdate.socket.send(syncMessage(2, new Uint8Array([255, 255, 255, 255, 15, 1, 2])));
		expect((await badUpdate.closed).code).toBe(CLOSE_CODES.malformedMessage);

		const unknownType = await openRawSocket(socketUrl(samPlan), headers);
		unknownType.socket.send(new Uint8Array([77, 1]));
		expect((await unknownType.closed).code).toBe(CLOSE_CODES.malformedMessage);

		const text = await openRawSocket(socketUrl(samPlan), headers);
		text.socket.send('hello');
		expect((await text.closed).code).toBe(CLOSE_CODES.malformedMessage);

		const huge = await openRawSocket(socketUrl(samPlan), headers);
		huge.socket.send(new Uint8Array(1024 * 1024 + 10));
		expect((await huge.closed).code).toBe(1009);

		const badAwareness = await openRawSocket(socketUrl(samPlan), headers);
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, 1);
		encoding.writeVarUint8Array(encoder, new Uint8Array([1, 5, 1, 3, 123, 123, 123]));
		badAwareness.socket.send(encoding.toUint8Array(encoder));
		expect((await badAwareness.closed).code).toBe(CLOSE_CODES.malformedMessage);

		// Everyone else carries on.
		appendParagraph(sam.doc, 'empowerment', 'still here');
		await sam.saves.whenSaved();
		await eventually(() => expect(sectionWords(priya.doc, 'empowerment')).toBe('still here'));
		expect(sam.provider.wsconnected && priya.provider.wsconnected).toBe(true);
	});

	it('accepts presence only for the connection’s own ids', async () => {
		const sam = client('sam');
		const priya = client('priya');
		await Promise.all([sam.synced(), priya.synced()]);
		await eventually(() => expect(priya.provider.awareness.getStates().has(sam.doc.clientID)).toBe(true));
		// Tom tries to speak for Sam's presence entry.
		const raw = await openRawSocket(socketUrl(samPlan), { origin: server.origin, cookie: cookies.tom! });
		const fake = new awarenessProtocol.Awareness(new Y.Doc());
		fake.clientID = sam.doc.clientID;
		fake.setLocalState({ user: { name: 'Not Sam' } });
		fake.meta.set(sam.doc.clientID, { clock: 10_000, lastUpdated: Date.now() });
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, 1);
		encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(fake, [sam.doc.clientID]));
		raw.socket.send(encoding.toUint8Array(encoder));
		sam.provider.awareness.setLocalStateField('ping', 1);
		await eventually(() => expect((priya.provider.awareness.getStates().get(sam.doc.clientID) as { ping?: number }).ping).toBe(1));
		expect((priya.provider.awareness.getStates().get(sam.doc.clientID) as { user: { name: string } }).user.name).toBe('Sam Taylor');
		raw.socket.close();
	});

	it('stores every change with the person who made it, and commits everything on a graceful stop', async () => {
		const sam = client('sam');
		const priya = client('priya');
		await Promise.all([sam.synced(), priya.synced()]);
		appendParagraph(sam.doc, 'barriers', 'S');
		appendParagraph(priya.doc, 'crisis', 'P');
		await Promise.all([sam.saves.whenSaved(), priya.saves.whenSaved()]);
		const samId = sam.doc.clientID;
		const priyaId = priya.doc.clientID;
		for (const connected of clients.splice(0)) connected.destroy();
		await server.stop();

		const storage = await server.openStorage();
		try {
			const owners = await storage.db
				.select({ clientId: planClient.clientId, username: user.username })
				.from(planClient)
				.innerJoin(user, eq(planClient.userId, user.id))
				.where(eq(planClient.planId, samPlan));
			const byClient = new Map(owners.map((row) => [row.clientId, row.username]));
			expect(byClient.get(samId)).toBe('sam');
			expect(byClient.get(priyaId)).toBe('priya');
			const rows = await storage.db
				.select({ clientId: planUpdate.clientId, username: user.username, context: planUpdate.context })
				.from(planUpdate)
				.innerJoin(user, eq(planUpdate.userId, user.id))
				.where(eq(planUpdate.planId, samPlan));
			expect(rows.length).toBeGreaterThan(5);
			for (const row of rows) {
				if (row.clientId !== 0) expect(row.username, `client ${row.clientId}`).toBe(byClient.get(row.clientId));
				expect(row.username).not.toBe('maria');
			}
			expect(rows.some((row) => row.context === 'joint')).toBe(true);
		} finally {
			await storage.close();
		}
		await server.restart();
	});
});
