import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findAccountByUsername } from '../../db/accounts.ts';
import { addCareTeamMember, createPlan } from '../../db/plans.ts';
import { findTeamByName } from '../../db/teams.ts';
import type { Database } from '../../db/types.ts';
import { seedDemo } from '../../server/demo-seed.ts';
import { CLOSE_CODES, MESSAGE_NOTICE } from '../../src/lib/shared/collab-protocol.ts';
import { readPlanNotice, type PlanNotice } from '../../src/lib/shared/plan-notices.ts';
import { createCollabClientPool, eventually, type CollabClient } from '../helpers/collab-client.ts';
import { testDatabaseKind } from '../helpers/database.ts';
import { signInCookie } from '../helpers/http-session.ts';
import { appendParagraph, sectionWords } from '../helpers/plan-doc.ts';
import { openRawSocket } from '../helpers/raw-socket.ts';
import { readPageData, submitAction } from '../helpers/sveltekit-requests.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

// Notices the server sends everyone in a plan (appointments, restores), over the plan's own socket, to the real
// built server, with stock y-websocket clients: some listen for notices as the browser does, one does not.

const PEOPLE = ['sam', 'priya', 'tom', 'alex'] as const;
type Person = (typeof PEOPLE)[number];
const PLANS = ['appointments', 'restores', 'hostile'] as const;

let server: TestServer;
const cookies = {} as Record<Person, string>;
const ids = {} as Record<Person, string>;
const plans = {} as Record<(typeof PLANS)[number], string>;
const collabClients = createCollabClientPool();

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

/** A stock client that reads notices as the browser's PlanCollaboration does. */
async function listening(person: Person, planId: string): Promise<{ client: CollabClient; notices: PlanNotice[] }> {
	const client = await collabClients.open(server.url, planId, cookies[person]);
	const notices: PlanNotice[] = [];
	client.provider.messageHandlers[MESSAGE_NOTICE] = (_encoder, decoder) => {
		const notice = readPlanNotice(JSON.parse(decoding.readVarString(decoder)));
		if (notice) notices.push(notice);
	};
	return { client, notices };
}

const submit = (person: Person, path: string, fields: Record<string, string> | [string, string][]) =>
	submitAction(server.url, server.origin, cookies[person], path, fields);

const pageData = async (person: Person, path: string) => (await readPageData(server.url, cookies[person], path)).data!;

const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString().slice(0, 16);

describe(`live notices (${testDatabaseKind})`, () => {
	it('tells every socket in the plan when an appointment starts and ends; a client that ignores notices carries on', async () => {
		const planId = plans.appointments;
		const sam = await listening('sam', planId);
		const samOnPhone = await listening('sam', planId);
		const alex = await listening('alex', planId);
		// The stock client without a handler for notices: it must stay connected and in sync.
		const stock = await collabClients.open(server.url, planId, cookies.tom);

		const booked = await submit('priya', `/plans/${planId}?/scheduleAppointment`, [
			['when', tomorrow()],
			['place', ''],
			['attendee', ids.sam],
			['attendee', ids.priya]
		]);
		expect(booked).toMatchObject({ type: 'success', data: { code: 'appointment-booked' } });
		const appointment = (await pageData('priya', `/plans/${planId}`)).appointments as { id: string }[];
		expect(await submit('priya', `/plans/${planId}?/startAppointment`, { appointment: appointment[0]!.id })).toMatchObject({ type: 'success' });

		const started: PlanNotice = { code: 'appointment-started', params: { by: { id: ids.priya, name: 'Priya Shah' } } };
		for (const listener of [sam, samOnPhone, alex]) await eventually(() => expect(listener.notices).toEqual([started]));

		expect(await submit('priya', `/plans/${planId}?/endAppointment`, { appointment: appointment[0]!.id })).toMatchObject({ type: 'success' });
		const versions = (await pageData('sam', `/plans/${planId}`)).lastAppointment as { seq: number };
		const ended: PlanNotice = { code: 'appointment-ended', params: { by: { id: ids.priya, name: 'Priya Shah' }, versionSeq: versions.seq } };
		for (const listener of [sam, samOnPhone, alex]) await eventually(() => expect(listener.notices).toEqual([started, ended]));

		// The client that had no handler took both notices without closing, and still writes and receives.
		expect(stock.closes).toEqual([]);
		expect(stock.provider.wsconnected).toBe(true);
		appendParagraph(stock.doc, 'hope', 'Still here after the notices');
		await stock.saves.whenSaved();
		await eventually(() => expect(sectionWords(sam.client.doc, 'hope')).toBe('Still here after the notices'));
		// Nobody who opens the plan later gets old notices.
		const later = await listening('sam', planId);
		appendParagraph(stock.doc, 'hope', 'One more');
		await eventually(() => expect(sectionWords(later.client.doc, 'hope')).toContain('One more'));
		expect(later.notices).toEqual([]);
	});

	it('refuses a notice sent by a client: only the server makes them, and nobody else receives it', async () => {
		const planId = plans.hostile;
		const sam = await listening('sam', planId);
		const raw = await openRawSocket(`${server.url.replace('http', 'ws')}/collab/${planId}`, { origin: server.origin, cookie: cookies.tom });
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, MESSAGE_NOTICE);
		encoding.writeVarString(
			encoder,
			JSON.stringify({ code: 'plan-restored', params: { by: { id: ids.sam, name: 'Sam Taylor' }, target: 'hope', fromSeq: 0, seq: 1 } })
		);
		raw.socket.send(encoding.toUint8Array(encoder));
		expect((await raw.closed).code).toBe(CLOSE_CODES.malformedMessage);
		// Sam's socket is still open and heard nothing: a change after it arrives, the forged notice never did.
		const tom = await collabClients.open(server.url, planId, cookies.tom);
		appendParagraph(tom.doc, 'about', 'After the forged notice');
		await eventually(() => expect(sectionWords(sam.client.doc, 'about')).toBe('After the forged notice'));
		expect(sam.notices).toEqual([]);
	});

	it('tells everyone about a restore, with what to compare; the person whose plan it is undoes it, live', async () => {
		const planId = plans.restores;
		const sam = await listening('sam', planId);
		const alex = await listening('alex', planId);
		appendParagraph(sam.client.doc, 'hope', 'Seeing my nephew grow up');
		await sam.client.saves.whenSaved();
		// Back to the empty section (seq 0): it empties "Hope", removing Sam's words, so the page says so first.
		const page = await pageData('tom', `/plans/${planId}/at/0`);
		const preview = (page.previews as Record<string, { same: boolean; empties: boolean; ownersWords: boolean; fingerprint: string; parts: unknown[] }>).hope!;
		expect(preview).toMatchObject({ same: false, empties: true, ownersWords: true, removesWordsOf: ['Sam Taylor'] });
		expect(preview.parts).toEqual([{ part: 'hope', removed: ['Seeing my nephew grow up'], added: [], empties: true }]);
		expect((page.previews as Record<string, { same: boolean }>).about).toMatchObject({ same: true });

		const restored = await submit('tom', `/plans/${planId}/at/0?/restore`, { target: 'hope', confirmed: 'yes', seen: preview.fingerprint });
		expect(restored).toMatchObject({ type: 'success', data: { restored: true, code: 'plan-restored' } });
		const restoreSeq = restored.data!.seq as number;
		const notice: PlanNotice = { code: 'plan-restored', params: { by: { id: ids.tom, name: 'Tom Becker' }, target: 'hope', fromSeq: 0, seq: restoreSeq } };
		for (const listener of [sam, alex]) await eventually(() => expect(listener.notices).toEqual([notice]));
		// The notice arrives after the change itself: the section is empty on their screens by then.
		expect(sectionWords(sam.client.doc, 'hope')).toBe('');
		// Its link compares the plan just before the restore with just after.
		const compared = await readPageData(server.url, cookies.sam, `/plans/${planId}/compare?from=${restoreSeq - 1}&to=${restoreSeq}`);
		expect(compared.status).toBe(200);

		// The version page offers the undo to the person whose plan it is and to the restorer, not to others.
		expect((await pageData('sam', `/plans/${planId}/at/${restoreSeq}`)).undo).toEqual({ target: 'hope' });
		expect((await pageData('tom', `/plans/${planId}/at/${restoreSeq}`)).undo).toEqual({ target: 'hope' });
		expect((await pageData('alex', `/plans/${planId}/at/${restoreSeq}`)).undo).toBeNull();
		expect(await submit('alex', `/plans/${planId}/at/${restoreSeq}?/undo`, {})).toMatchObject({
			type: 'failure',
			status: 403,
			data: { code: 'restore-undo-not-yours' }
		});

		const undone = await submit('sam', `/plans/${planId}/at/${restoreSeq}?/undo`, {});
		expect(undone).toMatchObject({ type: 'success', data: { undone: true, code: 'restore-undone', seq: restoreSeq + 1 } });
		await eventually(() => expect(sectionWords(alex.client.doc, 'hope')).toBe('Seeing my nephew grow up'));
		const undoneNotice: PlanNotice = {
			code: 'restore-undone',
			params: { by: { id: ids.sam, name: 'Sam Taylor' }, target: 'hope', undoneSeq: restoreSeq, seq: restoreSeq + 1 }
		};
		for (const listener of [sam, alex]) await eventually(() => expect(listener.notices).toEqual([notice, undoneNotice]));
		// The undo is in the history as Sam's change, a restore of the plan as it was just before.
		const sessions = (await (await fetch(`${server.url}/api/plans/${planId}/history?limit=1`, { headers: { cookie: cookies.sam } })).json()) as {
			sessions: { toSeq: number; user: { name: string }; restoredFrom?: number }[];
		};
		expect(sessions.sessions[0]).toMatchObject({ toSeq: restoreSeq + 1, user: { name: 'Sam Taylor' }, restoredFrom: restoreSeq - 1 });
		// Once undone, the restore cannot be undone again (nothing it brought back is there any more).
		expect(await submit('tom', `/plans/${planId}/at/${restoreSeq}?/undo`, {})).toMatchObject({
			type: 'failure',
			status: 409,
			data: { code: 'restore-undo-outdated' }
		});
		expect((await pageData('tom', `/plans/${planId}/at/${restoreSeq}`)).undo).toBeNull();
	});
});
