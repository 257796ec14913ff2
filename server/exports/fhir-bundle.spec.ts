import type { Bundle, CarePlan, FhirResource, Goal, Provenance } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { fhirSchemaErrors } from '../../tests/helpers/fhir-schema.ts';
import type { PlanVersionWithSignOffs } from '../../db/plan-versions.ts';
import type { OutlinedGoal, PlanOutline } from '../../src/lib/shared/plan-text.ts';
import type { PlanRecord, RecordPerson } from '../commands/plan-record.ts';
import { expressedByOf, FHIR_URLS, planFhirBundle } from './fhir-bundle.ts';

// Records built by hand, so each mapping rule is checked against an answer known by construction.

const SAM: RecordPerson = { id: '11111111-1111-4111-8111-111111111111', displayName: 'Sam Taylor', role: 'service_user', discipline: null };
const PRIYA: RecordPerson = { id: '22222222-2222-4222-8222-222222222222', displayName: 'Priya Shah', role: 'professional', discipline: 'social_worker' };
const TOM: RecordPerson = { id: '33333333-3333-4333-8333-333333333333', displayName: 'Tom Becker', role: 'professional', discipline: 'nurse' };
const MARIA: RecordPerson = { id: '44444444-4444-4444-8444-444444444444', displayName: 'Maria Rossi', role: 'supervisor', discipline: null };
const PLAN_ID = '55555555-5555-4555-8555-555555555555';
const GOAL_A = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const GOAL_B = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
const GOAL_C = 'cccccccc-cccc-4ccc-8ccc-cccccccccccc';
const GOAL_D = 'dddddddd-dddd-4ddd-8ddd-dddddddddddd';

const goal = (id: string, text: string, rest: Partial<OutlinedGoal> = {}): OutlinedGoal => ({
	id,
	text,
	status: 'active',
	targetDate: null,
	steps: [],
	...rest
});

const OUTLINE: PlanOutline = {
	sections: [
		{ id: 'about', blocks: [{ kind: 'paragraph', text: 'I like walking.', depth: 0, checked: null }], goals: [] },
		{
			id: 'connectedness',
			blocks: [],
			goals: [
				goal(GOAL_A, 'See my sister every month', {
					status: 'achieved',
					targetDate: '2026-06-30',
					steps: [
						{ id: 's1', what: 'Call her on Sundays', done: true, who: 'me', byWhen: '2026-01-31' },
						{ id: 's2', what: 'Find a bus route', done: false, who: 'worker', byWhen: null },
						{ id: 's3', what: 'Ask my neighbour for a lift', done: false, who: 'someone_else', byWhen: null }
					]
				})
			]
		},
		{ id: 'hope', blocks: [{ kind: 'paragraph', text: 'Things can get better.', depth: 0, checked: null }], goals: [] },
		{ id: 'identity', blocks: [], goals: [] },
		{ id: 'meaning', blocks: [], goals: [goal(GOAL_B, 'Volunteer at the garden', { status: 'on-hold' }), goal(GOAL_C, 'Take a course', { status: null })] },
		{ id: 'empowerment', blocks: [], goals: [goal(GOAL_D, '', { status: 'cancelled' })] },
		{ id: 'barriers', blocks: [], goals: [] },
		{ id: 'crisis', blocks: [{ kind: 'paragraph', text: 'Call Priya.', depth: 0, checked: null }], goals: [] }
	]
};

const at = (iso: string) => new Date(iso);

function version(id: string, seq: number, signOffs: PlanVersionWithSignOffs['signOffs'], createdAt = at('2026-02-01T10:00:00Z')): PlanVersionWithSignOffs {
	return { id, planId: PLAN_ID, seq, kind: 'agreement', name: `Version ${seq}`, createdBy: PRIYA.id, createdByName: PRIYA.displayName, createdAt, signOffs };
}

const answer = (person: RecordPerson, decision: 'agree' | 'disagree', when: string) => ({
	userId: person.id,
	name: person.displayName,
	role: person.role,
	discipline: person.discipline,
	decision,
	reason: decision === 'disagree' ? 'Not yet' : null,
	at: at(when)
});

const V1 = '66666666-6666-4666-8666-666666666661';
const V2 = '66666666-6666-4666-8666-666666666662';
const V3 = '66666666-6666-4666-8666-666666666663';

function record(overrides: Partial<PlanRecord> = {}): PlanRecord {
	return {
		plan: {
			id: PLAN_ID,
			title: 'Sam’s recovery plan',
			status: 'active',
			reviewDate: '2026-09-01',
			createdAt: at('2026-01-05T09:00:00Z'),
			updatedAt: at('2026-03-01T09:00:00Z'),
			serviceUser: { id: SAM.id, displayName: SAM.displayName },
			team: { id: '77777777-7777-4777-8777-777777777777', name: 'Riverside' }
		},
		careTeam: [PRIYA, TOM],
		version: null,
		seq: 40,
		outline: OUTLINE,
		goalWriters: {
			// Exactly half by Sam: Sam's.
			[GOAL_A]: { [SAM.id]: 13, [PRIYA.id]: 13 },
			// One character short of half: the professional who wrote most.
			[GOAL_B]: { [SAM.id]: 11, [PRIYA.id]: 4, [TOM.id]: 8 },
			[GOAL_C]: { [SAM.id]: 13 }
		},
		writers: [PRIYA, SAM, TOM],
		versions: [
			// Newest first. V3: Sam disagrees last; V2 agreed by Sam and Tom (Priya disagreed); V1 agreed, Priya then changed her mind to agree.
			version(V3, 40, [
				answer(SAM, 'agree', '2026-03-01T10:00:00Z'),
				answer(PRIYA, 'agree', '2026-03-01T10:01:00Z'),
				answer(SAM, 'disagree', '2026-03-01T11:00:00Z')
			]),
			version(
				V2,
				30,
				[answer(SAM, 'agree', '2026-02-10T10:00:00Z'), answer(TOM, 'agree', '2026-02-10T10:05:00Z'), answer(PRIYA, 'disagree', '2026-02-10T10:06:00Z')],
				at('2026-02-10T09:00:00Z')
			),
			version(
				V1,
				10,
				[answer(PRIYA, 'disagree', '2026-01-10T10:00:00Z'), answer(SAM, 'agree', '2026-01-10T10:01:00Z'), answer(PRIYA, 'agree', '2026-01-10T10:02:00Z')],
				at('2026-01-10T09:00:00Z')
			)
		],
		crisisContact: null,
		firstWrites: { [PRIYA.id]: 1, [SAM.id]: 5, [TOM.id]: 20 },
		...overrides
	};
}

const OPTIONS = { baseUrl: 'https://chorus.example.org', generatedAt: at('2026-03-02T12:00:00Z') };

const resources = (bundle: Bundle) => (bundle.entry ?? []).map((entry) => entry.resource!) as FhirResource[];
const only = <T extends FhirResource['resourceType']>(bundle: Bundle, type: T) =>
	resources(bundle).filter((resource) => resource.resourceType === type) as Extract<FhirResource, { resourceType: T }>[];
const goalById = (bundle: Bundle, id: string) => only(bundle, 'Goal').find((resource) => resource.id === id) as Goal;
const ref = (id: string) => `urn:uuid:${id}`;

describe('planFhirBundle', () => {
	const bundle = planFhirBundle(record(), OPTIONS);
	const carePlan = only(bundle, 'CarePlan')[0] as CarePlan;

	it('validates against the official FHIR R4 schema', () => {
		expect(fhirSchemaErrors(bundle)).toEqual([]);
		// The check itself can fail: a bundle type FHIR does not know is refused.
		expect(fhirSchemaErrors({ ...bundle, type: 'scrapbook' } as unknown as Bundle)).not.toEqual([]);
	}, 60_000); // the first check compiles the whole R4 schema

	it('is the same each time apart from its timestamp, every fullUrl the urn of its resource id', () => {
		const again = planFhirBundle(record(), { ...OPTIONS, generatedAt: at('2027-01-01T00:00:00Z') });
		expect({ ...again, timestamp: bundle.timestamp }).toEqual(bundle);
		expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection', timestamp: '2026-03-02T12:00:00.000Z' });
		for (const entry of bundle.entry!) expect(entry.fullUrl).toBe(`urn:uuid:${entry.resource!.id}`);
		expect(new Set(bundle.entry!.map((entry) => entry.fullUrl)).size).toBe(bundle.entry!.length);
	});

	it('points every reference at an entry of the bundle', () => {
		const urls = new Set(bundle.entry!.map((entry) => entry.fullUrl));
		const references = JSON.stringify(bundle).match(/"reference":"[^"]+"/g) ?? [];
		expect(references.length).toBeGreaterThan(10);
		for (const reference of references) expect(urls).toContain(reference.slice('"reference":"'.length, -1));
	});

	it('names the person minimally and staff as Practitioners, the care team with its disciplines', () => {
		expect(only(bundle, 'Patient')).toEqual([{ resourceType: 'Patient', id: SAM.id, name: [{ text: 'Sam Taylor' }] }]);
		expect(only(bundle, 'Practitioner').map((person) => [person.id, person.name?.[0]?.text])).toEqual([
			[PRIYA.id, 'Priya Shah'],
			[TOM.id, 'Tom Becker']
		]);
		const roles = only(bundle, 'PractitionerRole');
		expect(roles.map((role) => [role.practitioner?.reference, role.code?.[0]?.coding?.[0]?.code, role.code?.[0]?.text])).toEqual([
			[ref(PRIYA.id), 'social_worker', 'Social worker'],
			[ref(TOM.id), 'nurse', 'Nurse']
		]);
		expect(only(bundle, 'CareTeam')[0]).toMatchObject({ status: 'active', subject: { reference: ref(SAM.id) } });
		expect(only(bundle, 'CareTeam')[0]!.participant!.map((participant) => participant.member?.reference)).toEqual([ref(PRIYA.id), ref(TOM.id)]);
	});

	it('maps the plan: status, dates, review date extension, CHIME categories, author, contributors, goals', () => {
		expect(carePlan).toMatchObject({
			id: PLAN_ID,
			status: 'active',
			intent: 'plan',
			title: 'Sam’s recovery plan',
			subject: { reference: ref(SAM.id) },
			period: { start: '2026-01-05T09:00:00.000Z' },
			created: '2026-01-05T09:00:00.000Z',
			extension: [{ url: FHIR_URLS.reviewDate, valueDate: '2026-09-01' }],
			identifier: [{ system: 'https://chorus.example.org/plans', value: PLAN_ID }]
		});
		expect(carePlan.period?.end).toBeUndefined();
		// Connectedness has a goal, hope words only, identity nothing; about and crisis are no CHIME domain.
		expect(carePlan.category!.map((category) => category.coding![0]!.code)).toEqual(['connectedness', 'hope', 'meaning', 'empowerment']);
		expect(carePlan.category![0]!.coding![0]).toEqual({ system: FHIR_URLS.chimeDomain, code: 'connectedness', display: 'Connectedness' });
		const priyaRole = only(bundle, 'PractitionerRole').find((role) => role.practitioner?.reference === ref(PRIYA.id))!;
		expect(carePlan.author?.reference).toBe(ref(priyaRole.id!));
		expect(carePlan.contributor!.map((contributor) => contributor.reference)).toEqual([ref(PRIYA.id), ref(SAM.id), ref(TOM.id)]);
		expect(carePlan.goal!.map((goalRef) => goalRef.reference)).toEqual([GOAL_A, GOAL_B, GOAL_C, GOAL_D].map(ref));
	});

	it('maps plan statuses draft, active, closed to draft, active, completed', () => {
		for (const [ours, theirs] of [
			['draft', 'draft'],
			['active', 'active'],
			['closed', 'completed']
		] as const) {
			const mapped = planFhirBundle(record({ plan: { ...record().plan, status: ours } }), OPTIONS);
			expect((only(mapped, 'CarePlan')[0] as CarePlan).status).toBe(theirs);
		}
	});

	it('lists each step as an activity: status, words, who does it, by when', () => {
		const careTeamUrl = ref(only(bundle, 'CareTeam')[0]!.id!);
		expect(carePlan.activity!.map((activity) => activity.detail)).toEqual([
			{
				extension: [{ url: FHIR_URLS.stepOwnerExtension, valueCoding: { system: FHIR_URLS.stepOwner, code: 'me' } }],
				kind: 'Task',
				goal: [{ reference: ref(GOAL_A) }],
				status: 'completed',
				scheduledPeriod: { end: '2026-01-31' },
				performer: [{ reference: ref(SAM.id), display: 'Sam Taylor' }],
				description: 'Call her on Sundays'
			},
			{
				extension: [{ url: FHIR_URLS.stepOwnerExtension, valueCoding: { system: FHIR_URLS.stepOwner, code: 'worker' } }],
				kind: 'Task',
				goal: [{ reference: ref(GOAL_A) }],
				status: 'not-started',
				performer: [{ reference: careTeamUrl }],
				description: 'Find a bus route'
			},
			{
				extension: [{ url: FHIR_URLS.stepOwnerExtension, valueCoding: { system: FHIR_URLS.stepOwner, code: 'someone_else' } }],
				kind: 'Task',
				goal: [{ reference: ref(GOAL_A) }],
				status: 'not-started',
				description: 'Ask my neighbour for a lift'
			}
		]);
	});

	it('maps goals: words exactly, lifecycle status, achievement, target date, CHIME category', () => {
		expect(goalById(bundle, GOAL_A)).toMatchObject({
			description: { text: 'See my sister every month' },
			lifecycleStatus: 'completed',
			achievementStatus: { coding: [{ system: FHIR_URLS.goalAchievement, code: 'achieved' }] },
			target: [{ dueDate: '2026-06-30' }],
			category: [{ coding: [{ system: FHIR_URLS.chimeDomain, code: 'connectedness' }] }],
			subject: { reference: ref(SAM.id) }
		});
		expect(goalById(bundle, GOAL_B)).toMatchObject({ lifecycleStatus: 'on-hold', category: [{ coding: [{ code: 'meaning' }] }] });
		expect(goalById(bundle, GOAL_B).target).toBeUndefined();
		expect(goalById(bundle, GOAL_B).achievementStatus).toBeUndefined();
		expect(goalById(bundle, GOAL_C).lifecycleStatus).toBe('proposed');
		expect(goalById(bundle, GOAL_D)).toMatchObject({
			lifecycleStatus: 'cancelled',
			description: { extension: [{ url: FHIR_URLS.dataAbsentReason, valueCode: 'unknown' }] }
		});
		const proposed = planFhirBundle(
			record({
				outline: { sections: [{ id: 'hope', blocks: [], goals: [goal(GOAL_A, 'x', { status: 'proposed' }), goal(GOAL_B, 'y', { status: 'active' })] }] }
			}),
			OPTIONS
		);
		expect(only(proposed, 'Goal').map((resource) => resource.lifecycleStatus)).toEqual(['proposed', 'active']);
	});

	it('says who expressed each goal by the half rule', () => {
		expect(goalById(bundle, GOAL_A).expressedBy?.reference).toBe(ref(SAM.id)); // exactly half
		expect(goalById(bundle, GOAL_B).expressedBy?.reference).toBe(ref(TOM.id)); // 11 of 23: Tom wrote most of the rest
		expect(goalById(bundle, GOAL_C).expressedBy?.reference).toBe(ref(SAM.id)); // all
		expect(goalById(bundle, GOAL_D).expressedBy).toBeUndefined(); // no words: nobody expressed it
		const staff = new Map([
			[PRIYA.id, PRIYA],
			[TOM.id, TOM]
		]);
		expect(expressedByOf({ [SAM.id]: 5, [PRIYA.id]: 5 }, SAM.id, staff)).toBe(SAM.id);
		expect(expressedByOf({ [SAM.id]: 4, [PRIYA.id]: 5 }, SAM.id, staff)).toBe(PRIYA.id);
		expect(expressedByOf({ [SAM.id]: 4, unknown: 5 }, SAM.id, staff)).toBeNull();
		expect(expressedByOf({ [PRIYA.id]: 3, [TOM.id]: 3 }, SAM.id, staff)).toBe(PRIYA.id);
	});

	it('records a Provenance for each agreed version: authors by then, and who agreed last', () => {
		const provenances = only(bundle, 'Provenance') as Provenance[];
		// V3 ends with Sam disagreeing: not agreed. Oldest first.
		expect(provenances.map((provenance) => provenance.id)).toEqual([V1, V2]);
		const agents = (provenance: Provenance) => provenance.agent.map((agent) => [agent.type!.coding![0]!.code, agent.who.reference]);
		expect(agents(provenances[0]!)).toEqual([
			['author', ref(PRIYA.id)],
			['author', ref(SAM.id)],
			['verifier', ref(SAM.id)],
			['verifier', ref(PRIYA.id)]
		]);
		expect(agents(provenances[1]!)).toEqual([
			['author', ref(PRIYA.id)],
			['author', ref(SAM.id)],
			['author', ref(TOM.id)],
			['verifier', ref(SAM.id)],
			['verifier', ref(TOM.id)]
		]);
		expect(provenances[0]!.agent[0]!.type!.coding![0]!.system).toBe(FHIR_URLS.participantType);
		expect(provenances[1]).toMatchObject({
			recorded: '2026-02-10T09:00:00.000Z',
			target: [
				{
					reference: ref(PLAN_ID),
					extension: [{ url: FHIR_URLS.planVersion, valueInteger: 30 }],
					identifier: { system: `https://chorus.example.org/plans/${PLAN_ID}/versions`, value: V2 },
					display: 'Version 30'
				}
			]
		});
	});

	it('names a supervisor who answered a version, and leaves out what an empty plan does not have', () => {
		const lone = planFhirBundle(
			record({
				careTeam: [],
				writers: [],
				goalWriters: {},
				outline: { sections: [] },
				plan: { ...record().plan, reviewDate: null },
				versions: [version(V1, 0, [answer(MARIA, 'agree', '2026-01-10T10:00:00Z')])]
			}),
			OPTIONS
		);
		expect(fhirSchemaErrors(lone)).toEqual([]);
		expect(only(lone, 'Practitioner').map((person) => person.id)).toEqual([MARIA.id]);
		expect(only(lone, 'Provenance')).toEqual([]);
		const plan = only(lone, 'CarePlan')[0] as CarePlan;
		for (const field of ['extension', 'category', 'author', 'contributor', 'careTeam', 'goal', 'activity'] as const) expect(plan[field]).toBeUndefined();
		expect(only(lone, 'CareTeam')).toEqual([]);
	});
});
