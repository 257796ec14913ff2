/**
 * The involvement measures of DESIGN.md ("Involvement measures"), finished from stored figures (see
 * db/schema/involvement.ts) and today's date, with the flags a supervisor should look at and plain explanations.
 */
import { plural } from './plural.ts';

/** How long an agreement counts when the plan has changed since (a usual review period). */
export const REVIEW_PERIOD_DAYS = 182;
/** A review is "due" this many days before its date. */
export const REVIEW_DUE_DAYS = 30;
export const LOW_SHARE = 0.2;
export const QUIET_DAYS = 90;

const DAY = 24 * 3600_000;

/** First days of the last `count` calendar months (UTC), oldest first, ending with the month of `now`. */
export function monthsUpTo(now: Date, count: number): string[] {
	const months: string[] = [];
	for (let back = count - 1; back >= 0; back--) {
		const date = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
		months.push(date.toISOString().slice(0, 10));
	}
	return months;
}

export type ReviewState = 'not_set' | 'overdue' | 'due' | 'ok';
export type InvolvementFlag = 'low_share' | 'no_recent_edit' | 'not_agreed' | 'review_overdue' | 'no_crisis_plan';

export interface StoredInvolvement {
	totalChars: number;
	serviceUserChars: number;
	goals: number;
	ownWordsGoals: number;
	nonEmptySections: number;
	coProducedSections: number;
	crisisPlanWritten: boolean;
	serviceUserLastEditAt: Date | null;
	soloSessionEnds: string[];
	currentAgreedByServiceUser: boolean;
	serviceUserAgreedAt: Date | null;
}

/** One plan's measures, as the dashboard and the exports show them. */
export interface InvolvementMeasures {
	/** 0–1; null while the plan has no words. */
	serviceUserShare: number | null;
	goals: number;
	ownWordsGoals: number;
	nonEmptySections: number;
	coProducedSections: number;
	soloSessions30: number;
	soloSessions90: number;
	/** Whole days; null when the person has never changed their plan. */
	daysSinceServiceUserEdit: number | null;
	agreed: boolean;
	reviewDate: string | null;
	review: ReviewState;
	crisisPlan: boolean;
	copySeen: boolean;
	flags: InvolvementFlag[];
}

export function reviewState(reviewDate: string | null, now: Date): ReviewState {
	if (!reviewDate) return 'not_set';
	const due = new Date(`${reviewDate}T23:59:59Z`).getTime();
	if (due < now.getTime()) return 'overdue';
	return due - now.getTime() <= REVIEW_DUE_DAYS * DAY ? 'due' : 'ok';
}

/**
 * Finishes the measures of one plan. `lastOwnLook`: when the service user last viewed or exported their plan.
 */
export function finishMeasures(stored: StoredInvolvement, reviewDate: string | null, lastOwnLook: Date | null, now: Date): InvolvementMeasures {
	const since = (days: number) => stored.soloSessionEnds.filter((end) => now.getTime() - Date.parse(end) <= days * DAY).length;
	const serviceUserShare = stored.totalChars === 0 ? null : stored.serviceUserChars / stored.totalChars;
	const daysSinceServiceUserEdit = stored.serviceUserLastEditAt ? Math.floor((now.getTime() - stored.serviceUserLastEditAt.getTime()) / DAY) : null;
	const agreed =
		stored.currentAgreedByServiceUser ||
		(stored.serviceUserAgreedAt !== null && now.getTime() - stored.serviceUserAgreedAt.getTime() <= REVIEW_PERIOD_DAYS * DAY);
	const review = reviewState(reviewDate, now);
	const copySeen = lastOwnLook !== null && (stored.serviceUserAgreedAt === null || lastOwnLook >= stored.serviceUserAgreedAt);
	const flags: InvolvementFlag[] = [];
	if (serviceUserShare !== null && serviceUserShare < LOW_SHARE) flags.push('low_share');
	if (daysSinceServiceUserEdit === null || daysSinceServiceUserEdit > QUIET_DAYS) flags.push('no_recent_edit');
	if (!agreed) flags.push('not_agreed');
	if (review === 'overdue') flags.push('review_overdue');
	if (!stored.crisisPlanWritten) flags.push('no_crisis_plan');
	return {
		serviceUserShare,
		goals: stored.goals,
		ownWordsGoals: stored.ownWordsGoals,
		nonEmptySections: stored.nonEmptySections,
		coProducedSections: stored.coProducedSections,
		soloSessions30: since(30),
		soloSessions90: since(90),
		daysSinceServiceUserEdit,
		agreed,
		reviewDate,
		review,
		crisisPlan: stored.crisisPlanWritten,
		copySeen,
		flags
	};
}

export const FLAG_LABELS: Record<InvolvementFlag, string> = {
	low_share: 'Person wrote under 20 %',
	no_recent_edit: `No edit by the person in ${QUIET_DAYS} days`,
	not_agreed: 'Not agreed',
	review_overdue: 'Review overdue',
	no_crisis_plan: 'No crisis plan'
};

/** "Never", "Today", "1 day ago", "12 days ago": how long since the person last changed their plan. */
export function describeDaysSince(days: number | null): string {
	if (days === null) return 'Never';
	return days === 0 ? 'Today' : `${plural(days, 'day')} ago`;
}

export const REVIEW_LABELS: Record<ReviewState, string> = {
	not_set: 'No review date',
	overdue: 'Overdue',
	due: 'Due soon',
	ok: 'Set'
};

/** What each measure means, in plain words (shown on the dashboard and in the README). */
export const MEASURE_EXPLANATIONS: { id: string; label: string; explanation: string }[] = [
	{
		id: 'serviceUserShare',
		label: 'Person’s share',
		explanation:
			'Of all the characters in the plan as it is now (sections, goals and steps), the part the person whose plan it is typed themselves. Words a professional typed for them count as the professional’s.'
	},
	{ id: 'ownWordsGoals', label: 'Goals in own words', explanation: 'Goals whose words are at least half written by the person, out of all goals.' },
	{
		id: 'coProducedSections',
		label: 'Written together',
		explanation: 'Sections with words from both the person and a professional, out of the sections that have any words.'
	},
	{
		id: 'soloSessions',
		label: 'Between appointments',
		explanation: `How many times the person worked on their plan on their own (no professional in the plan, no appointment running) in the last 30 and 90 days. Changes less than 5 minutes apart count as one time.`
	},
	{ id: 'daysSinceServiceUserEdit', label: 'Last edit by the person', explanation: 'Days since the person last changed their plan.' },
	{
		id: 'agreed',
		label: 'Agreed',
		explanation: `The person agreed to the plan as it is now, or to a version in the last ${REVIEW_PERIOD_DAYS} days (about six months).`
	},
	{ id: 'review', label: 'Review', explanation: `Whether a review date is set, due in the next ${REVIEW_DUE_DAYS} days, or overdue.` },
	{ id: 'crisisPlan', label: 'Crisis plan', explanation: 'Whether “If things get difficult” has anything written in it.' },
	{
		id: 'copySeen',
		label: 'Has seen it',
		explanation: 'The person opened or downloaded their plan since they last agreed to it (or at all, if they have not agreed yet).'
	}
];
