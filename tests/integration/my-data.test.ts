import { and, eq, or } from 'drizzle-orm';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAuditEvent } from '../../db/audit.ts';
import type { OpenDatabase } from '../../db/client.ts';
import { auditEvent, planUpdate, type User } from '../../db/schema/index.ts';
import { scheduleAppointment } from '../../server/commands/appointments.ts';
import type { CommandContext } from '../../server/commands/actor.ts';
import { exportMyData, gatherMyData } from '../../server/commands/my-data.ts';
import { openPlanFor } from '../../server/commands/plan-access.ts';
import { MY_DATA_FILES, myDataJson } from '../../server/exports/my-data-archive.ts';
import { writeScriptedHistory } from '../../server/scripted-history.ts';
import { createTestDatabase, testDatabaseKind } from '../helpers/database.ts';
import { makeCareSetting } from '../helpers/factories.ts';
import { fhirSchemaErrors } from '../helpers/fhir-schema.ts';
import { signInCookie } from '../helpers/http-session.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

// "Everything about me" (GDPR Art. 15 and 20): every event of the person, every part of their plan, and nothing of
// anyone else's plan.

let database: OpenDatabase;
let setting: Awaited<ReturnType<typeof makeCareSetting>>;
const MINE = 'Walking by the river with my sister';
const THEIRS = 'words-of-another-person-xq7';

const as = (person: User): CommandContext => ({ db: database.db, actor: { kind: 'person', user: person, ip: '192.0.2.40' }, requestKey: null });

beforeAll(async () => {
	database = await createTestDatabase();
	setting = await makeCareSetting(database.db);
	const { serviceUser, professional, otherServiceUser, outsider } = setting;
	const start = Date.UTC(2026, 10, 2, 10);
	await writeScriptedHistory(database.db, {
		planId: setting.plan.id,
		visits: [
			{ at: new Date(start), by: serviceUser.id, context: 'joint', writes: [{ section: 'connectedness', text: MINE }] },
			{ at: new Date(start + 60_000), by: professional.id, context: 'joint', writes: [{ goal: 'g1', domain: 'hope', text: 'Go to the walking group' }] }
		],
		versions: [
			{
				afterVisit: 1,
				name: 'Our first plan',
				kind: 'agreement',
				createdBy: professional.id,
				signOffs: [
					{ userId: serviceUser.id, decision: 'agree', at: new Date(start + 120_000) },
					{ userId: professional.id, decision: 'agree', at: new Date(start + 130_000) }
				]
			}
		]
	});
	await writeScriptedHistory(database.db, {
		planId: setting.otherPlan.id,
		visits: [{ at: new Date(start), by: otherServiceUser.id, context: 'solo', writes: [{ section: 'hope', text: THEIRS }] }]
	});
	const booked = await scheduleAppointment(as(professional), setting.plan.id, {
		when: '2099-01-12T10:00',
		place: 'Riverside centre',
		attendees: [serviceUser.id, professional.id]
	});
	if (!booked.ok) throw new Error(booked.code);
	// Things that happen around the person: they sign in, someone mistypes their password, the worker opens their
	// plan; they try a plan that is not theirs; another person signs in and opens their own plan.
	await recordAuditEvent(database.db, { actorId: serviceUser.id, action: 'sign_in', targetType: 'user', targetId: serviceUser.id, ip: '192.0.2.41' });
	await recordAuditEvent(database.db, { actorId: null, action: 'sign_in.failed', targetType: 'user', targetId: serviceUser.id, ip: '192.0.2.42' });
	await recordAuditEvent(database.db, { actorId: professional.id, action: 'plan.viewed', targetType: 'plan', targetId: setting.plan.id });
	expect((await openPlanFor(as(serviceUser), setting.otherPlan.id)).ok).toBe(false);
	await recordAuditEvent(database.db, { actorId: otherServiceUser.id, action: 'sign_in', targetType: 'user', targetId: otherServiceUser.id });
	await recordAuditEvent(database.db, { actorId: outsider.id, action: 'plan.viewed', targetType: 'plan', targetId: setting.otherPlan.id });
});
afterAll(() => database?.close());

describe(`everything about me (${testDatabaseKind})`, () => {
	it('holds every event of the person, and records the download', async () => {
		const { serviceUser } = setting;
		const theirs = await database.db
			.select({ id: auditEvent.id })
			.from(auditEvent)
			.where(or(eq(auditEvent.actorId, serviceUser.id), and(eq(auditEvent.targetType, 'user'), eq(auditEvent.targetId, serviceUser.id))));
		const gathered = await gatherMyData(as(serviceUser));
		if (!gathered.ok) throw new Error(gathered.code);
		const data = gathered.value;
		expect(data.events.map((event) => event.id)).toEqual(theirs.map((event) => event.id).sort((a, b) => a - b));
		expect(data.events.map((event) => event.action)).toEqual(expect.arrayContaining(['sign_in', 'sign_in.failed', 'access.denied']));
		const [recorded] = await database.db
			.select()
			.from(auditEvent)
			.where(and(eq(auditEvent.action, 'account.data_exported'), eq(auditEvent.actorId, serviceUser.id)));
		expect(recorded).toMatchObject({ targetType: 'user', targetId: serviceUser.id, detail: { plans: 1 } });
	});

	it('holds the plan, its whole history, versions and sign-offs, who looked and the appointments', async () => {
		const { serviceUser, professional } = setting;
		const gathered = await gatherMyData(as(serviceUser));
		if (!gathered.ok) throw new Error(gathered.code);
		const json = myDataJson(gathered.value) as {
			plans: {
				plan: { id: string };
				outline: unknown;
				history: { userId: string }[];
				versions: { signOffs: unknown[] }[];
				looks: { userId: string }[];
				appointments: { place: string }[];
			}[];
		};
		expect(json.plans).toHaveLength(1);
		const [plan] = json.plans;
		expect(plan!.plan.id).toBe(setting.plan.id);
		expect(JSON.stringify(plan!.outline)).toContain(MINE);
		expect(JSON.stringify(plan!.outline)).toContain('Go to the walking group');
		const writers = new Set(plan!.history.map((change) => change.userId));
		expect(writers).toEqual(new Set([serviceUser.id, professional.id]));
		// Every logged change, one per word typed plus the new paragraph and the new goal, and none left out.
		const logged = await database.db.select({ seq: planUpdate.seq }).from(planUpdate).where(eq(planUpdate.planId, setting.plan.id));
		expect(plan!.history.length).toBe(MINE.split(' ').length + 'Go to the walking group'.split(' ').length + 2);
		expect(plan!.history.length).toBe(logged.length);
		expect(plan!.versions[0]!.signOffs).toHaveLength(2);
		expect(plan!.looks.map((look) => look.userId)).toContain(professional.id);
		expect(plan!.appointments.map((appointment) => appointment.place)).toEqual(['Riverside centre']);
	});

	it('holds nothing of anyone else’s plan', async () => {
		const exported = await exportMyData(as(setting.serviceUser), { baseUrl: 'https://chorus.example.org' });
		if (!exported.ok) throw new Error(exported.code);
		const files = unzipSync(exported.value.archive);
		expect(Object.keys(files).sort()).toEqual([MY_DATA_FILES.document, MY_DATA_FILES.json, MY_DATA_FILES.fhir(0)].sort());
		for (const [name, bytes] of Object.entries(files)) {
			const text = strFromU8(bytes);
			expect(text, name).not.toContain(setting.otherPlan.id);
			expect(text, name).not.toContain(THEIRS);
			expect(text, name).not.toContain(setting.otherServiceUser.displayName);
			expect(text, name).not.toContain(setting.outsider.displayName);
		}
		const document = strFromU8(files[MY_DATA_FILES.document]!);
		expect(document).toContain(MINE);
		expect(document).toContain('Our first plan');
		expect(document).toContain('Riverside centre');
		expect(document).toContain('Sign-in failed');
		expect(fhirSchemaErrors(JSON.parse(strFromU8(files[MY_DATA_FILES.fhir(0)]!)))).toEqual([]);
	});

	it('gives a professional their own account and events, and no plan', async () => {
		const gathered = await gatherMyData(as(setting.professional));
		if (!gathered.ok) throw new Error(gathered.code);
		expect(gathered.value.plans).toEqual([]);
		expect(gathered.value.events.every((event) => event.actorId === setting.professional.id || event.targetId === setting.professional.id)).toBe(true);
		expect(gathered.value.events.map((event) => event.action)).toContain('plan.viewed');
	});
});

describe('the download on the built server', () => {
	let server: TestServer;
	beforeAll(async () => {
		server = await startTestServer();
	});
	afterAll(() => server?.dispose());

	it('is one ZIP file for the person signed in, in their language, and asks anyone else to sign in', async () => {
		const anonymous = await fetch(`${server.url}/account/my-data`, { redirect: 'manual' });
		expect(anonymous.status).toBe(303);
		expect(anonymous.headers.get('location')).toMatch(/^\/login\?next=/);
		const cookie = await signInCookie(server.url, 'sam');
		const response = await fetch(`${server.url}/account/my-data`, { headers: { cookie, 'accept-language': 'de' } });
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('application/zip');
		expect(response.headers.get('content-disposition')).toMatch(/attachment; filename="alles-ueber-mich-\d{4}-\d{2}-\d{2}\.zip"/);
		const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
		const document = strFromU8(files[MY_DATA_FILES.document]!);
		expect(document).toContain('<html lang="de">');
		expect(document).toContain('Alles, was Chorus über Sam Taylor gespeichert hat');
		expect(document).toContain('Sam’s recovery plan');
		expect(document).not.toContain('Jordan’s recovery plan');
		const json = JSON.parse(strFromU8(files[MY_DATA_FILES.json]!)) as { account: { username: string; passwordHash?: string } };
		expect(json.account.username).toBe('sam');
		expect(JSON.stringify(json)).not.toMatch(/argon2|passwordHash/);
	});
});
