// A plan as a FHIR R4 bundle, for systems that speak FHIR (an electronic patient record, a regional shared record).
// Made from the same PlanRecord as every other copy, so it says exactly what the plan says; pure, so the same plan
// gives the same bundle (apart from its timestamp) and tests can build records by hand.
import { createHash } from 'node:crypto';
import type {
	Bundle,
	BundleEntry,
	CarePlan,
	CarePlanActivity,
	CareTeam,
	CodeableConcept,
	Extension,
	FhirResource,
	Goal,
	Patient,
	Practitioner,
	PractitionerRole,
	Provenance,
	ProvenanceAgent,
	Reference
} from 'fhir/r4';
import { agreementOf } from '../../src/lib/shared/agreement.ts';
import type { OutlinedGoal, OutlinedStep } from '../../src/lib/shared/plan-text.ts';
import { CHIME_DOMAINS, type ChimeDomain, type GoalStatus } from '../../src/lib/shared/plan-sections.ts';
import { DISCIPLINE_LABELS, ROLE_LABELS } from '../../src/lib/shared/roles.ts';
import { isUuid } from '../../src/lib/shared/validation.ts';
import type { PlanRecord, RecordPerson } from '../commands/plan-record.ts';

/** Chorus's own terminology and extensions (documented in the README, "FHIR R4 export"). */
export const FHIR_URLS = {
	chimeDomain: 'https://chorus.care/fhir/CodeSystem/chime-domain',
	discipline: 'https://chorus.care/fhir/CodeSystem/discipline',
	stepOwner: 'https://chorus.care/fhir/CodeSystem/step-owner',
	reviewDate: 'https://chorus.care/fhir/StructureDefinition/review-date',
	stepOwnerExtension: 'https://chorus.care/fhir/StructureDefinition/step-owner',
	planVersion: 'https://chorus.care/fhir/StructureDefinition/plan-version-seq',
	participantType: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type',
	goalAchievement: 'http://terminology.hl7.org/CodeSystem/goal-achievement',
	dataAbsentReason: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason'
} as const;

/** The CHIME domains as the Chorus code system displays them (code system displays are English by convention). */
const CHIME_DISPLAY: Record<ChimeDomain, string> = {
	connectedness: 'Connectedness',
	hope: 'Hope and optimism',
	identity: 'Identity',
	meaning: 'Meaning',
	empowerment: 'Empowerment'
};

const PLAN_STATUS: Record<PlanRecord['plan']['status'], CarePlan['status']> = { draft: 'draft', active: 'active', closed: 'completed' };

const GOAL_STATUS: Record<GoalStatus, Goal['lifecycleStatus']> = {
	proposed: 'proposed',
	active: 'active',
	'on-hold': 'on-hold',
	achieved: 'completed',
	cancelled: 'cancelled'
};

/** A stable UUID made from stable parts (name-based, version 5 layout), for resources that have no id of ours. */
function derivedUuid(...parts: string[]): string {
	const hex = createHash('sha1').update(parts.join('\u0000')).digest('hex').slice(0, 32).split('');
	hex[12] = '5';
	hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
	const s = hex.join('');
	return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

const chimeCoding = (domain: ChimeDomain): CodeableConcept => ({
	coding: [{ system: FHIR_URLS.chimeDomain, code: domain, display: CHIME_DISPLAY[domain] }]
});

const participantType = (code: 'author' | 'verifier'): CodeableConcept => ({
	coding: [{ system: FHIR_URLS.participantType, code, display: code === 'author' ? 'Author' : 'Verifier' }]
});

/**
 * The plan as a FHIR R4 `collection` bundle: the Patient (the person whose plan it is), a CarePlan, one Goal per goal,
 * a Practitioner for each member of staff it names, a PractitionerRole and a CareTeam for the care team, and a
 * Provenance for each version both sides agreed. Every fullUrl is `urn:uuid:<id>` and references point at them.
 */
export function planFhirBundle(record: PlanRecord, options: { baseUrl: string; generatedAt: Date }): Bundle {
	const { plan } = record;
	const serviceUserId = plan.serviceUser.id;
	const patientRef: Reference = { reference: `urn:uuid:${serviceUserId}`, display: plan.serviceUser.displayName };

	// Everyone on staff the bundle names: the care team, the writers and whoever answered a version.
	const staff = new Map<string, RecordPerson>();
	const addStaff = (person: RecordPerson) => {
		if (person.id !== serviceUserId && !staff.has(person.id)) staff.set(person.id, person);
	};
	record.careTeam.forEach(addStaff);
	record.writers.forEach(addStaff);
	for (const version of record.versions)
		for (const signOff of version.signOffs) addStaff({ id: signOff.userId, displayName: signOff.name, role: signOff.role, discipline: signOff.discipline });
	const personRef = (id: string): Reference => (id === serviceUserId ? patientRef : { reference: `urn:uuid:${id}`, display: staff.get(id)?.displayName ?? id });

	const roleIdOf = (memberId: string) => derivedUuid(plan.id, 'practitioner-role', memberId);
	const careTeamId = derivedUuid(plan.id, 'care-team');
	const careTeamRef: Reference | null = record.careTeam.length > 0 ? { reference: `urn:uuid:${careTeamId}` } : null;
	const goalIdOf = (goal: OutlinedGoal) => (isUuid(goal.id) ? goal.id : derivedUuid(plan.id, 'goal', goal.id));
	const goalRef = (goal: OutlinedGoal): Reference => ({ reference: `urn:uuid:${goalIdOf(goal)}` });

	const domainOf = new Map<OutlinedGoal, ChimeDomain>();
	const usedDomains: ChimeDomain[] = [];
	for (const section of record.outline.sections) {
		const domain = CHIME_DOMAINS.find((candidate) => candidate === section.id);
		if (!domain) continue;
		for (const goal of section.goals) domainOf.set(goal, domain);
		if (section.goals.length > 0 || section.blocks.length > 0) usedDomains.push(domain);
	}
	const goals = [...domainOf.keys()];

	const patient: Patient = { resourceType: 'Patient', id: serviceUserId, name: [{ text: plan.serviceUser.displayName }] };

	const practitioners: Practitioner[] = [...staff.values()].map((person) => ({
		resourceType: 'Practitioner',
		id: person.id,
		name: [{ text: person.displayName }]
	}));

	const roles: PractitionerRole[] = record.careTeam.map((member) => ({
		resourceType: 'PractitionerRole',
		id: roleIdOf(member.id),
		active: true,
		practitioner: personRef(member.id),
		code: [
			member.discipline
				? { coding: [{ system: FHIR_URLS.discipline, code: member.discipline }], text: DISCIPLINE_LABELS[member.discipline] }
				: { text: ROLE_LABELS[member.role] }
		]
	}));

	const careTeam: CareTeam[] = careTeamRef
		? [
				{
					resourceType: 'CareTeam',
					id: careTeamId,
					status: plan.status === 'closed' ? 'inactive' : 'active',
					subject: patientRef,
					participant: record.careTeam.map((member) => ({
						member: personRef(member.id),
						...(member.discipline
							? { role: [{ coding: [{ system: FHIR_URLS.discipline, code: member.discipline }], text: DISCIPLINE_LABELS[member.discipline] }] }
							: {})
					}))
				}
			]
		: [];

	const activityOf = (goal: OutlinedGoal, step: OutlinedStep): CarePlanActivity => {
		const performer = step.who === 'me' ? [patientRef] : step.who === 'worker' && careTeamRef ? [careTeamRef] : undefined;
		const extension: Extension[] | undefined = step.who
			? [{ url: FHIR_URLS.stepOwnerExtension, valueCoding: { system: FHIR_URLS.stepOwner, code: step.who } }]
			: undefined;
		return {
			detail: {
				...(extension ? { extension } : {}),
				kind: 'Task',
				goal: [goalRef(goal)],
				status: step.done ? 'completed' : 'not-started',
				...(step.byWhen ? { scheduledPeriod: { end: step.byWhen } } : {}),
				...(performer ? { performer } : {}),
				...(step.what ? { description: step.what } : {})
			}
		};
	};

	const activity = goals.flatMap((goal) => goal.steps.map((step) => activityOf(goal, step)));
	const carePlan: CarePlan = {
		resourceType: 'CarePlan',
		id: plan.id,
		...(plan.reviewDate ? { extension: [{ url: FHIR_URLS.reviewDate, valueDate: plan.reviewDate }] } : {}),
		identifier: [{ system: `${options.baseUrl}/plans`, value: plan.id }],
		status: PLAN_STATUS[plan.status],
		intent: 'plan',
		...(usedDomains.length > 0 ? { category: usedDomains.map(chimeCoding) } : {}),
		title: plan.title,
		subject: patientRef,
		period: { start: plan.createdAt.toISOString() },
		created: plan.createdAt.toISOString(),
		...(record.careTeam[0] ? { author: { reference: `urn:uuid:${roleIdOf(record.careTeam[0].id)}`, display: record.careTeam[0].displayName } } : {}),
		...(record.writers.length > 0 ? { contributor: record.writers.map((writer) => personRef(writer.id)) } : {}),
		...(careTeamRef ? { careTeam: [careTeamRef] } : {}),
		...(goals.length > 0 ? { goal: goals.map(goalRef) } : {}),
		...(activity.length > 0 ? { activity } : {})
	};

	const goalResources: Goal[] = goals.map((goal) => {
		const expressedBy = expressedByOf(record.goalWriters[goal.id] ?? {}, serviceUserId, staff);
		return {
			resourceType: 'Goal',
			id: goalIdOf(goal),
			lifecycleStatus: goal.status ? GOAL_STATUS[goal.status] : 'proposed',
			...(goal.status === 'achieved' ? { achievementStatus: { coding: [{ system: FHIR_URLS.goalAchievement, code: 'achieved', display: 'Achieved' }] } } : {}),
			category: [chimeCoding(domainOf.get(goal)!)],
			// FHIR strings cannot be empty: a goal with no words yet says its words are missing.
			description: goal.text ? { text: goal.text } : { extension: [{ url: FHIR_URLS.dataAbsentReason, valueCode: 'unknown' }] },
			subject: patientRef,
			...(goal.targetDate ? { target: [{ dueDate: goal.targetDate }] } : {}),
			...(expressedBy ? { expressedBy: personRef(expressedBy) } : {})
		};
	});

	// Oldest first, so the bundle reads as the plan's story.
	const provenances: Provenance[] = [...record.versions]
		.reverse()
		.filter((version) => agreementOf(version.signOffs, serviceUserId).status === 'agreed')
		.map((version) => {
			const agreement = agreementOf(version.signOffs, serviceUserId);
			const authors = record.writers.filter((writer) => (record.firstWrites ? (record.firstWrites[writer.id] ?? Infinity) <= version.seq : true));
			const verifiers = [agreement.serviceUser, ...agreement.professionals].filter((answer) => answer?.decision === 'agree').map((answer) => answer!.userId);
			const agent: ProvenanceAgent[] = [
				...authors.map((writer) => ({ type: participantType('author'), who: personRef(writer.id) })),
				...verifiers.map((id) => ({ type: participantType('verifier'), who: personRef(id) }))
			];
			return {
				resourceType: 'Provenance',
				id: version.id,
				target: [
					{
						extension: [{ url: FHIR_URLS.planVersion, valueInteger: version.seq }],
						reference: `urn:uuid:${plan.id}`,
						identifier: { system: `${options.baseUrl}/plans/${plan.id}/versions`, value: version.id },
						...(version.name ? { display: version.name } : {})
					}
				],
				recorded: version.createdAt.toISOString(),
				agent
			};
		});

	// Readings (a later issue) become Observation entries here, each with the Patient as subject.
	const resources: FhirResource[] = [patient, carePlan, ...goalResources, ...careTeam, ...roles, ...practitioners, ...provenances];
	const entry: BundleEntry[] = resources.map((resource) => ({ fullUrl: `urn:uuid:${resource.id}`, resource }));
	return { resourceType: 'Bundle', type: 'collection', timestamp: options.generatedAt.toISOString(), entry };
}

/**
 * Who expressed a goal: the person whose plan it is when they wrote at least half of its words' characters, otherwise
 * the member of staff who wrote most of them (a name first in writer order on a tie); nobody for a goal without words.
 */
export function expressedByOf(chars: Record<string, number>, serviceUserId: string, staff: ReadonlyMap<string, unknown>): string | null {
	const total = Object.values(chars).reduce((sum, count) => sum + count, 0);
	if (total === 0) return null;
	if ((chars[serviceUserId] ?? 0) * 2 >= total) return serviceUserId;
	let best: string | null = null;
	for (const id of staff.keys()) if ((chars[id] ?? 0) > 0 && (best === null || chars[id]! > chars[best]!)) best = id;
	return best;
}
