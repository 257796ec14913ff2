/**
 * The sections of a care plan. Each is a rich-text Y.XmlFragment named `section:<id>` in the plan's Y.Doc;
 * those names are part of the storage format (change only with a data migration).
 */
export interface PlanSection {
	id: 'about' | 'connectedness' | 'hope' | 'identity' | 'meaning' | 'empowerment' | 'barriers' | 'crisis';
	title: string;
	/** Guiding questions shown while the section is empty; never stored. */
	prompts: string[];
	/** The CHIME domain this section is, if it is one. */
	chime: boolean;
}

export const PLAN_SECTIONS: readonly PlanSection[] = [
	{
		id: 'about',
		title: 'About me',
		prompts: ['In my own words: what are my strengths?', 'What matters to me?'],
		chime: false
	},
	{
		id: 'connectedness',
		title: 'Connectedness',
		prompts: ['Who is important to me?', 'Who helps me?', 'Where do I feel I belong?', 'Which connections would I like to build?'],
		chime: true
	},
	{
		id: 'hope',
		title: 'Hope and optimism',
		prompts: ['What gives me hope?', 'What am I looking forward to?', 'What have I done that I am proud of?'],
		chime: true
	},
	{
		id: 'identity',
		title: 'Identity',
		prompts: ['How would I describe myself, beyond any diagnosis?', 'What are my strengths and values?'],
		chime: true
	},
	{
		id: 'meaning',
		title: 'Meaning in life',
		prompts: ['What gives my life meaning?', 'Which roles matter to me?', 'What does a good day look like?'],
		chime: true
	},
	{
		id: 'empowerment',
		title: 'Empowerment',
		prompts: ['Which decisions do I want to make myself?', 'What already helps me?', 'What would help me feel more in control?'],
		chime: true
	},
	{
		id: 'barriers',
		title: 'What gets in the way, and what helps',
		prompts: ['What makes things harder for me?', 'What helps when that happens?'],
		chime: false
	},
	{
		id: 'crisis',
		title: 'If things get difficult',
		prompts: ['What are my early signs?', 'What helps me then?', 'Who should be contacted?', 'What would I like to happen?'],
		chime: false
	}
];

export type SectionId = PlanSection['id'];
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

export const GOAL_STATUS_LABELS: Record<GoalStatus, string> = {
	proposed: 'Idea',
	active: 'Working on it',
	'on-hold': 'On hold',
	achieved: 'Achieved',
	cancelled: 'Stopped'
};

export const STEP_OWNERS = ['me', 'worker', 'someone_else'] as const;
export type StepOwner = (typeof STEP_OWNERS)[number];

export const STEP_OWNER_LABELS: Record<StepOwner, string> = {
	me: 'Me',
	worker: 'My worker',
	someone_else: 'Someone else'
};

/** Who reads a plan's steps: the person whose plan it is, a professional writing with them, or someone reading. */
export type StepReader = 'owner' | 'professional' | 'reader';

/**
 * "Who does it" in the words of the one reading: the stored codes are the person's view ("me", "my worker"), so a
 * professional reads the person's name for "me" and "Me" for the worker's part, and a supervisor reads both by name.
 */
export function stepOwnerLabels(reader: StepReader, personName: string): Record<StepOwner, string> {
	if (reader === 'owner') return STEP_OWNER_LABELS;
	if (reader === 'professional') return { me: personName, worker: `Me (${personName}’s worker)`, someone_else: 'Someone else' };
	return { me: personName, worker: `${personName}’s worker`, someone_else: 'Someone else' };
}
