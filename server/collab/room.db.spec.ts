import { asc, eq } from 'drizzle-orm';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OpenDatabase } from '../../db/client.ts';
import { planUpdate, type User } from '../../db/schema/index.ts';
import {
	CLOSE_CODES,
	MESSAGE_AWARENESS,
	MESSAGE_SAVED,
	MESSAGE_SYNC,
	SYNC_STEP_1,
	SYNC_UPDATE,
	type PresenceUser
} from '../../src/lib/shared/collab-protocol.ts';
import { presenceFor } from '../../src/lib/shared/presence.ts';
import { eventually } from '../../tests/helpers/collab-client.ts';
import { createTestDatabase, testDatabaseKind } from '../../tests/helpers/database.ts';
import { makeCareSetting } from '../../tests/helpers/factories.ts';
import { appendParagraph, sectionWords } from '../../tests/helpers/plan-doc.ts';
import { syncMessage } from '../../tests/helpers/raw-socket.ts';
import { CollabConnection, DEFAULT_CONNECTION_LIMITS, RateLimiter, type PeerSocket } from './connection.ts';
import { MalformedMessageError } from './messages.ts';
import { PostgresPlanStore } from './postgres-plan-store.ts';
import { Room } from './room.ts';

// Rooms built directly in this process, on a real database: each test's people are connections whose sockets only
// record what the room sends them, and whose documents apply it as the stock client would.

let database: OpenDatabase;
let store: PostgresPlanStore;
const rooms: Room[] = [];

beforeAll(async () => {
	database = await createTestDatabase();
	store = new PostgresPlanStore(database.db, database.commitClient);
});
afterEach(() => {
	for (const room of rooms.splice(0)) room.destroy();
});
afterAll(() => database.close());

async function openRoom(planId: string, checkpointEvery = 1000): Promise<Room> {
	const room = new Room(planId, {
		store,
		checkpointEvery,
		onFailure: (_room, error) => {
			throw error;
		}
	});
	rooms.push(room);
	await room.loaded;
	return room;
}

/** A socket that keeps what the room sends and how it was closed. */
class RecordingSocket implements PeerSocket {
	bufferedAmount = 0;
	readonly sent: Uint8Array[] = [];
	closedWith: { code: number; reason: string } | null = null;

	send(message: Uint8Array, _options: { binary: boolean }, callback: (error?: Error) => void): void {
		this.sent.push(message);
		callback();
	}

	close(code: number, reason: string): void {
		this.closedWith = { code, reason };
	}

	terminate(): void {}
	ping(): void {}
}

/** Someone in the room: their connection, and an editor's document fed with what the room sent them. */
function join(room: Room, person: User, access: 'edit' | 'read' = 'edit') {
	const socket = new RecordingSocket();
	const connection = new CollabConnection(
		socket,
		{ user: person, sessionId: `session-${person.id}`, planId: room.planId, access },
		presenceFor(person, access !== 'edit'),
		DEFAULT_CONNECTION_LIMITS,
		new RateLimiter(DEFAULT_CONNECTION_LIMITS.documentBytesPerSecond, DEFAULT_CONNECTION_LIMITS.documentBytesBurst)
	);
	room.join(connection);
	const doc = new Y.Doc();
	const awareness = new awarenessProtocol.Awareness(doc);
	let read = 0;
	let saved = 0;
	/** Changes the room sent that are other people's (updates), as opposed to acknowledgements and presence. */
	let updatesReceived = 0;
	const readSent = () => {
		for (; read < socket.sent.length; read++) {
			const decoder = decoding.createDecoder(socket.sent[read]!);
			const type = decoding.readVarUint(decoder);
			if (type === MESSAGE_SAVED) saved = decoding.readVarUint(decoder);
			else if (type === MESSAGE_AWARENESS) awarenessProtocol.applyAwarenessUpdate(awareness, decoding.readVarUint8Array(decoder), 'server');
			else if (type === MESSAGE_SYNC) {
				const step = decoding.readVarUint(decoder);
				if (step === SYNC_STEP_1) continue;
				if (step === SYNC_UPDATE) updatesReceived += 1;
				Y.applyUpdate(doc, decoding.readVarUint8Array(decoder), 'server');
			}
		}
	};
	doc.on('update', (update: Uint8Array, origin: unknown) => {
		if (origin !== 'server') room.handleMessage(connection, syncMessage(SYNC_UPDATE, update));
	});
	return {
		connection,
		socket,
		doc,
		awareness,
		/** The highest document message number the room acknowledged as saved. */
		saved: () => (readSent(), saved),
		updatesReceived: () => (readSent(), updatesReceived),
		/** Applies what the room sent so far. */
		catchUp: () => readSent(),
		/** Catches up with the room's committed state (as the first sync would). */
		sync: () => Y.applyUpdate(doc, Y.encodeStateAsUpdate(room.doc), 'server'),
		leave: () => room.leave(connection)
	};
}

/** The plan's stored rows, oldest first. */
const storedRows = (planId: string) =>
	database.db
		.select({ seq: planUpdate.seq, userId: planUpdate.userId, clientId: planUpdate.clientId, context: planUpdate.context })
		.from(planUpdate)
		.where(eq(planUpdate.planId, planId))
		.orderBy(asc(planUpdate.seq));

describe(`a plan's room, in process (${testDatabaseKind})`, () => {
	it('passes an update on to the others and acknowledges it to its author only once it is committed', async () => {
		const { plan, serviceUser, professional } = await makeCareSetting(database.db);
		const room = await openRoom(plan.id);
		const sam = join(room, serviceUser);
		const priya = join(room, professional);
		appendParagraph(sam.doc, 'about', 'I paint on Sundays');
		// Applied in the room, but neither passed on nor acknowledged before the commit.
		expect(sectionWords(room.doc, 'about')).toBe('I paint on Sundays');
		expect(sam.saved()).toBe(0);
		expect(priya.updatesReceived()).toBe(0);

		await eventually(() => expect(sam.saved()).toBe(1));
		// Stored by the time it is acknowledged, under its author.
		expect(await storedRows(plan.id)).toEqual([{ seq: 1, userId: serviceUser.id, clientId: sam.doc.clientID, context: 'joint' }]);
		priya.catchUp();
		expect(sectionWords(priya.doc, 'about')).toBe('I paint on Sundays');
		expect(sam.updatesReceived(), 'the author is not sent their own change').toBe(0);
		expect(room.seq).toBe(1);
	});

	it('decides who wrote what itself: nobody writes under another person’s editor id or shows up as someone else', async () => {
		const { plan, serviceUser, professional } = await makeCareSetting(database.db);
		const room = await openRoom(plan.id);
		const sam = join(room, serviceUser);
		const priya = join(room, professional);
		appendParagraph(sam.doc, 'about', 'my words');
		await room.flush();

		// Priya's change written with Sam's editor id is refused, and nothing of it reaches the room or the log.
		const forger = new Y.Doc();
		Y.applyUpdate(forger, Y.encodeStateAsUpdate(room.doc));
		forger.clientID = sam.doc.clientID;
		const before = Y.encodeStateVector(forger);
		appendParagraph(forger, 'about', 'words put in Sam’s mouth');
		room.handleMessage(priya.connection, syncMessage(SYNC_UPDATE, Y.encodeStateAsUpdate(forger, before)));
		expect(priya.socket.closedWith?.code).toBe(CLOSE_CODES.forgedClientId);
		expect(sectionWords(room.doc, 'about')).toBe('my words');

		// Presence claiming to be Sam is shown as Priya.
		const presence = join(room, professional);
		presence.awareness.setLocalState({ user: { id: serviceUser.id, name: 'Sam Taylor', kind: 'service_user' } });
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
		encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(presence.awareness, [presence.doc.clientID]));
		room.handleMessage(presence.connection, encoding.toUint8Array(encoder));
		const shown = room.awareness.getStates().get(presence.doc.clientID) as { user: PresenceUser };
		expect(shown.user).toEqual(presenceFor(professional, false));

		// A change of Priya's own is stored under her.
		const honest = join(room, professional);
		honest.sync();
		appendParagraph(honest.doc, 'hope', 'a holiday');
		await room.flush();
		expect((await storedRows(plan.id)).map((row) => row.userId)).toEqual([serviceUser.id, professional.id]);
	});

	it('refuses a malformed or unfitting update from one connection; the room and everyone else carry on', async () => {
		const { plan, serviceUser, professional } = await makeCareSetting(database.db);
		const room = await openRoom(plan.id);
		const sam = join(room, serviceUser);
		const priya = join(room, professional);

		expect(() => room.handleMessage(priya.connection, syncMessage(SYNC_UPDATE, new Uint8Array([1, 2, 250, 255, 3])))).toThrow(MalformedMessageError);
		expect(() => room.handleMessage(priya.connection, new Uint8Array([42]))).toThrow(MalformedMessageError);
		const unfitting = new Y.Doc();
		unfitting.getMap('__proto__').set('x', 1);
		room.handleMessage(priya.connection, syncMessage(SYNC_UPDATE, Y.encodeStateAsUpdate(unfitting)));
		expect(priya.socket.closedWith?.code).toBe(CLOSE_CODES.refusedChange);
		expect([...room.doc.share.keys()]).toEqual([]);

		appendParagraph(sam.doc, 'about', 'still here');
		await eventually(() => expect(sam.saved()).toBe(1));
		expect(room.broken).toBe(false);
		expect(await storedRows(plan.id)).toHaveLength(1);
		expect(sectionWords(room.doc, 'about')).toBe('still here');
	});

	it('writes a checkpoint after so many updates; a new room loads the same document from it', async () => {
		const { plan, serviceUser } = await makeCareSetting(database.db);
		const room = await openRoom(plan.id, 5);
		const sam = join(room, serviceUser);
		const text = appendParagraph(sam.doc, 'about');
		for (let index = 0; index < 12; index++) {
			text.insert(text.length, `${index} `);
			await room.flush();
		}
		const stored = await eventually(async () => {
			const loaded = await store.load(plan.id);
			expect(loaded.state.checkpointSeq).toBeGreaterThanOrEqual(5);
			return loaded.state;
		});
		expect(stored.lastSeq).toBe(13);
		expect(stored.tail.length).toBe(13 - stored.checkpointSeq);
		room.destroy();

		const reloaded = await openRoom(plan.id, 5);
		expect(sectionWords(reloaded.doc, 'about')).toBe(sectionWords(sam.doc, 'about'));
		expect(Y.encodeStateVector(reloaded.doc)).toEqual(Y.encodeStateVector(sam.doc));
		expect(reloaded.seq).toBe(13);
	});

	it('stores changes as joint while the person and a professional are both there, or an appointment runs; solo otherwise', async () => {
		const { plan, serviceUser, professional, supervisor } = await makeCareSetting(database.db);
		const room = await openRoom(plan.id);
		const sam = join(room, serviceUser);
		const text = appendParagraph(sam.doc, 'about', 'alone');
		await room.flush();
		const sue = join(room, supervisor, 'read');
		text.insert(text.length, ', with a supervisor reading');
		await room.flush();
		const priya = join(room, professional);
		text.insert(text.length, ', with Priya');
		await room.flush();
		priya.leave();
		text.insert(text.length, ', alone again');
		await room.flush();
		await room.setAppointmentRunning(true);
		text.insert(text.length, ', in an appointment');
		await room.flush();
		sue.leave();
		await room.setAppointmentRunning(false);
		text.insert(text.length, ', after it');
		await room.flush();
		expect((await storedRows(plan.id)).map((row) => row.context)).toEqual(['solo', 'solo', 'joint', 'solo', 'joint', 'solo']);
	});
});
