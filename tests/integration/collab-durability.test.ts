import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectCollabClient, eventually, type CollabClient } from '../helpers/collab-client.ts';
import { testDatabaseKind } from '../helpers/database.ts';
import { planIdsOnHome, signInCookie } from '../helpers/http-session.ts';
import { sectionWords } from '../helpers/plan-doc.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { Typist } from '../helpers/typist.ts';

let server: TestServer;
let planId: string;
const cookies: Record<string, string> = {};
const clients: CollabClient[] = [];

beforeAll(async () => {
	server = await startTestServer();
	cookies.sam = await signInCookie(server.url, 'sam');
	cookies.priya = await signInCookie(server.url, 'priya');
	cookies.tom = await signInCookie(server.url, 'tom');
	planId = (await planIdsOnHome(server.url, cookies.sam))[0]!;
});

afterAll(async () => {
	for (const client of clients) client.destroy();
	await server?.dispose();
});

/** Resolves once each typist has typed `count` more tokens than when it was called. */
async function typedMore(typists: Typist[], count: number): Promise<void> {
	const from = typists.map((typist) => typist.typed.length);
	await eventually(() => typists.forEach((typist, index) => expect(typist.typed.length).toBeGreaterThanOrEqual(from[index]! + count)));
}

function connect(who: string): CollabClient {
	const client = connectCollabClient(server.url, planId, { cookie: cookies[who] });
	clients.push(client);
	return client;
}

describe(`durability across kill -9 (${testDatabaseKind})`, () => {
	it('keeps every acknowledged edit when the server is killed while people type, and everyone converges', async () => {
		const sam = new Typist('sam', connect('sam'));
		const priya = new Typist('priya', connect('priya'));
		await Promise.all([sam.client.synced(), priya.client.synced()]);
		sam.start(7);
		priya.start(11);

		for (let round = 0; round < 3; round++) {
			// Not waiting for anything: they type for a while, a different while each round, so the kill below lands at a
			// different point of the commit cycle.
			await new Promise((resolve) => setTimeout(resolve, 600 + round * 150));
			await Promise.all([sam.catchBreath(), priya.catchBreath()]);
			// They type on; the server is killed mid-stream, with their latest edits on their way.
			await typedMore([sam, priya], 5);
			const acknowledgedBeforeKill = { sam: sam.acknowledged, priya: priya.acknowledged };
			expect(acknowledgedBeforeKill.sam + acknowledgedBeforeKill.priya, 'edits were acknowledged before the kill').toBeGreaterThan(0);
			await server.kill();
			// They keep typing while the server is down: those edits are not acknowledged yet.
			await typedMore([sam], 5);
			expect(sam.client.saves.state).toBe('unsaved');
			await server.restart();

			// A newcomer right after the restart finds everything acknowledged before the kill.
			const witness = connectCollabClient(server.url, planId, { cookie: cookies.tom });
			await witness.synced();
			const stored = sectionWords(witness.doc, 'about');
			witness.destroy();
			for (const typist of [sam, priya]) {
				const lost = typist.typed.slice(0, acknowledgedBeforeKill[typist.name as 'sam' | 'priya']).filter((token) => !stored.includes(token));
				expect(lost, `acknowledged edits of ${typist.name} lost in round ${round + 1}`).toEqual([]);
			}
		}

		sam.stop();
		priya.stop();
		await Promise.all([sam.client.saves.whenSaved(), priya.client.saves.whenSaved()]);
		expect(sam.client.saves.state).toBe('saved');

		// Unacknowledged edits were resent on reconnect: nothing anyone typed is missing, and all copies agree.
		const late = connect('tom');
		await late.synced();
		const final = sectionWords(late.doc, 'about');
		for (const token of [...sam.typed, ...priya.typed]) expect(final).toContain(token);
		await eventually(() => {
			expect(sectionWords(sam.client.doc, 'about')).toBe(final);
			expect(sectionWords(priya.client.doc, 'about')).toBe(final);
		});
		expect(sam.typed.length + priya.typed.length).toBeGreaterThan(300);
	});
});
