import { m } from '../paraglide/messages.js';
import { translated } from './locale.ts';

/**
 * The sections of a care plan. Each is a rich-text Y.XmlFragment named `section:<id>` in the plan's Y.Doc;
 * those names are part of the storage format (change only with a data migration).
 */
export type SectionId = 'about' | 'connectedness' | 'hope' | 'identity' | 'meaning' | 'empowerment' | 'barriers' | 'crisis';

export interface PlanSection {
	id: SectionId;
	/** In the reader's language (looked up each time it is read). */
	readonly title: string;
	/** Guiding questions shown while the section is empty, in the reader's language; never stored. */
	readonly prompts: string[];
	/** The CHIME domain this section is, if it is one. */
	chime: boolean;
}

function section(id: SectionId, chime: boolean, title: () => string, prompts: (() => string)[]): PlanSection {
	return {
		id,
		chime,
		get title() {
			return title();
		},
		get prompts() {
			return prompts.map((prompt) => prompt());
		}
	};
}

export const PLAN_SECTIONS: readonly PlanSection[] = [
	section('about', false, m.section_about_title, [m.section_about_prompt_1, m.section_about_prompt_2]),
	section('connectedness', true, m.section_connectedness_title, [
		m.section_connectedness_prompt_1,
		m.section_connectedness_prompt_2,
		m.section_connectedness_prompt_3,
		m.section_connectedness_prompt_4
	]),
	section('hope', true, m.section_hope_title, [m.section_hope_prompt_1, m.section_hope_prompt_2, m.section_hope_prompt_3]),
	section('identity', true, m.section_identity_title, [m.section_identity_prompt_1, m.section_identity_prompt_2]),
	section('meaning', true, m.section_meaning_title, [m.section_meaning_prompt_1, m.section_meaning_prompt_2, m.section_meaning_prompt_3]),
	section('empowerment', true, m.section_empowerment_title, [m.section_empowerment_prompt_1, m.section_empowerment_prompt_2, m.section_empowerment_prompt_3]),
	section('barriers', false, m.section_barriers_title, [m.section_barriers_prompt_1, m.section_barriers_prompt_2]),
	section('crisis', false, m.section_crisis_title, [m.section_crisis_prompt_1, m.section_crisis_prompt_2, m.section_crisis_prompt_3, m.section_crisis_prompt_4])
];

export type ChimeDomain = 'connectedness' | 'hope' | 'identity' | 'meaning' | 'empowerment';

export const CHIME_DOMAINS: readonly ChimeDomain[] = ['connectedness', 'hope', 'identity', 'meaning', 'empowerment'];

/** The Y.Doc root name of a section. */
export function sectionField(id: SectionId): string {
	return `section:${id}`;
}

/** The Y.Doc root name of the goals array. */
export const GOALS_FIELD = 'goals';

export const GOAL_STATUSES = ['proposed', 'active', 'on-hold', 'achieved', 'cancelled'] as const;
export type GoalStatus = (typeof GOAL_STATUSES)[number];

export const GOAL_STATUS_LABELS = translated<GoalStatus>({
	proposed: m.goal_status_proposed,
	active: m.goal_status_active,
	'on-hold': m.goal_status_on_hold,
	achieved: m.goal_status_achieved,
	cancelled: m.goal_status_cancelled
});

export const STEP_OWNERS = ['me', 'worker', 'someone_else'] as const;
export type StepOwner = (typeof STEP_OWNERS)[number];

export const STEP_OWNER_LABELS = translated<StepOwner>({
	me: m.step_owner_me,
	worker: m.step_owner_worker,
	someone_else: m.step_owner_someone_else
});

/** Who reads a plan's steps: the person whose plan it is, a professional writing with them, or someone reading. */
export type StepReader = 'owner' | 'professional' | 'reader';

/**
 * "Who does it" in the words of the one reading: the stored codes are the person's view ("me", "my worker"), so a
 * professional reads the person's name for "me" and "Me" for the worker's part, and a supervisor reads both by name.
 */
export function stepOwnerLabels(reader: StepReader, personName: string): Readonly<Record<StepOwner, string>> {
	if (reader === 'owner') return STEP_OWNER_LABELS;
	const name = { name: personName };
	if (reader === 'professional') return { me: personName, worker: m.step_owner_worker_is_me(name), someone_else: m.step_owner_someone_else() };
	return { me: personName, worker: m.step_owner_worker_of(name), someone_else: m.step_owner_someone_else() };
}
