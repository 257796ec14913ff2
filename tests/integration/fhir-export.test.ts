import type { Bundle, CarePlan, FhirResource, Goal, Provenance } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAccountByUsername } from '../../db/accounts.ts';
import { addCareTeamMember, createPlan } from '../../db/plans.ts';
import { addTeamMember, findTeamByName } from '../../db/teams.ts';
import type { Database } from '../../db/types.ts';
import { seedDemo } from '../../server/demo-seed.ts';
import { writeScriptedHistory } from '../../server/scripted-history.ts';
import { auditEventsOf } from '../helpers/audit-events.ts';
import { testDatabaseKind } from '../helpers/database.ts';
import { makeAccount, TEST_PASSWORD } from '../helpers/factories.ts';
import { fhirSchemaErrors } from '../helpers/fhir-schema.ts';
import { signInCookie } from '../helpers/http-session.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

// The real built server (npm run build) with the demo team: Sam's plan, written by Sam and Priya with a scripted
// history whose right answer is known by construction, exported as FHIR by everyone who may and may not read it.

const DEMO = ['sam', 'priya', 'tom', 'maria', 'noah', 'robin'] as const;
const NORTHGATE_SUPERVISOR = 'fhir-northgate-supervisor';
type Person = (typeof DEMO)[number] | typeof NORTHGATE_SUPERVISOR;

let server: TestServer;
let planId = '';
const ids = {} as Record<Person, string>;
const cookies = {} as Record<Person, string>;
const goals = { sister: crypto.randomUUID(), garden: crypto.randomUUID(), walk: crypto.randomUUID() };
const agreedAt = new Date('2026-02-01T12:00:00Z');

async function seed(db: Database): Promise<void> {
	await seedDemo(db);
	for (const person of DEMO) ids[person] = (await findAccountByUsername(db, person))!.id;
	const northgate = await findTeamByName(db, 'Northgate Recovery College');
	const otherSupervisor = await makeAccount(db, 'supervisor', { username: NORTHGATE_SUPERVISOR, displayName: 'Nico Hart' });
	await addTeamMember(db, northgate!.id, otherSupervisor.id);
	ids[NORTHGATE_SUPERVISOR] = otherSupervisor.id;
	const riverside = await findTeamByName(db, 'Riverside Community Mental Health Team');
	const created = await createPlan(db, { title: 'Sam’s FHIR plan', serviceUserId: ids.sam, teamId: riverside!.id });
	if (!created.ok) throw new Error(created.error);
	planId = created.value.id;
	for (const member of ['priya', 'tom'] as const) await addCareTeamMember(db, planId, ids[member], ids.priya);
	await writeScriptedHistory(db, {
		planId,
		visits: [
			{
				at: new Date('2026-01-10T10:00:00Z'),
				by: ids.sam,
				context: 'solo',
				writes: [
					{ section: 'hope', text: 'I want to feel like myself again.' },
					{
						goal: goals.sister,
						domain: 'connectedness',
						text: 'See my sister often',
						status: 'achieved',
						targetDate: '2026-06-30',
						steps: [
							{ id: 's1', what: 'Call her on Sundays', who: 'me', done: true, byWhen: '2026-02-28' },
							{ id: 's2', what: 'Find a bus route', who: 'worker', done: false },
							{ id: 's3', what: 'Ask my neighbour for a lift', who: 'someone_else', done: false }
						]
					},
					{ goal: goals.walk, domain: 'empowerment', text: 'Walk daily', status: 'proposed' }
				]
			},
			{
				at: new Date('2026-01-20T10:00:00Z'),
				by: ids.priya,
				context: 'joint',
				writes: [
					// 19 of Sam's characters and 6 of Priya's: Sam's goal.
					{ goal: goals.sister, domain: 'connectedness', text: ' again' },
					// 23 of Priya's and 5 of Sam's: Priya's.
					{ goal: goals.garden, domain: 'meaning', text: 'Volunteer at the garden', status: 'on-hold' },
					// 10 and 10: exactly half is Sam's.
					{ goal: goals.walk, domain: 'empowerment', text: ' in a park' }
				]
			},
			{ at: new Date('2026-01-25T10:00:00Z'), by: ids.sam, context: 'solo', writes: [{ goal: goals.garden, domain: 'meaning', text: ' soon' }] },
			{ at: new Date('2026-02-10T10:00:00Z'), by: ids.tom, context: 'solo', writes: [{ section: 'about', text: 'Likes early mornings.' }] }
		],
		versions: [
			{
				afterVisit: 2,
				name: 'Agreed in January',
				kind: 'agreement',
				createdBy: ids.priya,
				signOffs: [
					{ userId: ids.priya, decision: 'agree', at: agreedAt },
					{ userId: ids.sam, decision: 'agree', at: new Date(agreedAt.getTime() + 60_000) }
				]
			},
			{ afterVisit: 3, name: 'Tom’s notes', kind: 'manual', createdBy: ids.tom, signOffs: [] }
		]
	});
}

beforeAll(async () => {
	server = await startTestServer({}, seed);
	for (const person of DEMO) cookies[person] = await signInCookie(server.url, person);
	cookies[NORTHGATE_SUPERVISOR] = await signInCookie(server.url, NORTHGATE_SUPERVISOR, TEST_PASSWORD);
}, 120_000);

afterAll(async () => {
	await server?.dispose();
});

async function exportAs(person: Person | null): Promise<{ status: number; contentType: string; body: unknown }> {
	const response = await fetch(`${server.url}/api/plans/${planId}/fhir`, { headers: person ? { cookie: cookies[person] } : {} });
	return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: await response.json() };
}

const resources = (bundle: Bundle) => (bundle.entry ?? []).map((entry) => entry.resource!) as FhirResource[];
const only = <T extends FhirResource['resourceType']>(bundle: Bundle, type: T) =>
	resources(bundle).filter((resource) => resource.resourceType === type) as Extract<FhirResource, { resourceType: T }>[];
const ref = (id: string) => `urn:uuid:${id}`;

describe(`the FHIR export of a plan (${testDatabaseKind})`, () => {
	it('is a valid FHIR R4 bundle that says exactly what the plan says', async () => {
		const answer = await exportAs('sam');
		expect(answer.status).toBe(200);
		expect(answer.contentType).toBe('application/fhir+json; charset=utf-8');
		const bundle = answer.body as Bundle;
		expect(fhirSchemaErrors(bundle)).toEqual([]);
		expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });

		expect(only(bundle, 'Patient')).toEqual([{ resourceType: 'Patient', id: ids.sam, name: [{ text: 'Sam Taylor' }] }]);
		const carePlan = only(bundle, 'CarePlan')[0] as CarePlan;
		expect(carePlan).toMatchObject({ id: planId, title: 'Sam’s FHIR plan', status: 'draft', intent: 'plan', subject: { reference: ref(ids.sam) } });
		expect(carePlan.identifier).toEqual([{ system: `${server.origin}/plans`, value: planId }]);
		expect(carePlan.category!.map((category) => category.coding![0]!.code)).toEqual(['connectedness', 'hope', 'meaning', 'empowerment']);
		// Everyone who wrote, by name: Priya Shah, Sam Taylor, Tom Becker.
		expect(carePlan.contributor!.map((contributor) => contributor.reference)).toEqual([ref(ids.priya), ref(ids.sam), ref(ids.tom)]);
		expect(carePlan.goal!.map((goal) => goal.reference)).toEqual([goals.sister, goals.garden, goals.walk].map(ref));
		const careTeamUrl = ref(only(bundle, 'CareTeam')[0]!.id!);
		expect(
			carePlan.activity!.map((activity) => [activity.detail!.description, activity.detail!.status, activity.detail!.performer?.[0]?.reference ?? null])
		).toEqual([
			['Call her on Sundays', 'completed', ref(ids.sam)],
			['Find a bus route', 'not-started', careTeamUrl],
			['Ask my neighbour for a lift', 'not-started', null]
		]);
		expect(carePlan.activity![0]!.detail!.scheduledPeriod).toEqual({ end: '2026-02-28' });

		const goal = (id: string) => only(bundle, 'Goal').find((resource) => resource.id === id) as Goal;
		expect(goal(goals.sister)).toMatchObject({
			description: { text: 'See my sister often again' },
			lifecycleStatus: 'completed',
			achievementStatus: { coding: [{ code: 'achieved' }] },
			target: [{ dueDate: '2026-06-30' }],
			expressedBy: { reference: ref(ids.sam) }
		});
		expect(goal(goals.garden)).toMatchObject({
			description: { text: 'Volunteer at the garden soon' },
			lifecycleStatus: 'on-hold',
			expressedBy: { reference: ref(ids.priya) }
		});
		expect(goal(goals.walk)).toMatchObject({
			description: { text: 'Walk daily in a park' },
			lifecycleStatus: 'proposed',
			expressedBy: { reference: ref(ids.sam) }
		});

		expect(only(bundle, 'Practitioner').map((person) => person.id)).toEqual(expect.arrayContaining([ids.priya, ids.tom]));
		expect(only(bundle, 'Practitioner')).toHaveLength(2);
		expect(only(bundle, 'PractitionerRole').map((role) => [role.practitioner?.reference, role.code?.[0]?.coding?.[0]?.code])).toEqual([
			[ref(ids.priya), 'social_worker'],
			[ref(ids.tom), 'nurse']
		]);

		// Only the agreed version has a Provenance: Sam and Priya had written by then (Tom wrote later), both agreed.
		const provenances = only(bundle, 'Provenance') as Provenance[];
		expect(provenances).toHaveLength(1);
		expect(provenances[0]!.recorded).toBe(agreedAt.toISOString());
		expect(provenances[0]!.target[0]).toMatchObject({ reference: ref(planId), display: 'Agreed in January' });
		expect(provenances[0]!.agent.map((agent) => [agent.type!.coding![0]!.code, agent.who.reference])).toEqual([
			['author', ref(ids.priya)],
			['author', ref(ids.sam)],
			['verifier', ref(ids.sam)],
			['verifier', ref(ids.priya)]
		]);
	}, 60_000);

	it('is the same for everyone who may read the plan, refused like a missing plan to everyone else, and recorded', async () => {
		const storage = await server.openStorage();
		try {
			const before = (await auditEventsOf(storage.db, 'plan.exported', planId)).length;
			const bundles: Bundle[] = [];
			for (const person of ['sam', 'priya', 'maria'] as const) {
				const answer = await exportAs(person);
				expect(answer.status, person).toBe(200);
				bundles.push(answer.body as Bundle);
			}
			const withoutTimestamp = (bundle: Bundle) => ({ ...bundle, timestamp: '' });
			expect(withoutTimestamp(bundles[1]!)).toEqual(withoutTimestamp(bundles[0]!));
			for (const person of ['noah', NORTHGATE_SUPERVISOR, 'robin'] as const) {
				const answer = await exportAs(person);
				expect([answer.status, (answer.body as { code?: string }).code], person).toEqual([404, 'plan-not-found']);
				expect(JSON.stringify(answer.body)).not.toContain('Sam');
			}
			const anonymous = await exportAs(null);
			expect([anonymous.status, (anonymous.body as { code?: string }).code]).toEqual([401, 'sign-in-required']);

			const events = (await auditEventsOf(storage.db, 'plan.exported', planId)).slice(before);
			expect(events.map((event) => [event.actorId, event.detail])).toEqual([
				[ids.sam, { format: 'fhir' }],
				[ids.priya, { format: 'fhir' }],
				[ids.maria, { format: 'fhir' }]
			]);
		} finally {
			await storage.close();
		}
	}, 60_000);
});
