/**
 * The involvement measures of DESIGN.md ("Involvement measures"), finished from stored figures (see
 * db/schema/involvement.ts) and today's date, with the flags a supervisor should look at and plain explanations.
 */
import { m } from '../paraglide/messages.js';
import { translated } from './locale.ts';
import { PLAN_SECTIONS, type SectionId } from './plan-sections.ts';
import { formatNumber } from './numbers.ts';

/** How long an agreement counts when the plan has changed since (a usual review period). */
export const REVIEW_PERIOD_DAYS = 182;
/** A review is "due" this many days before its date. */
export const REVIEW_DUE_DAYS = 30;
export const LOW_SHARE = 0.2;
export const QUIET_DAYS = 90;

const DAY = 24 * 3600_000;

const sectionTitle = (id: SectionId) => PLAN_SECTIONS.find((section) => section.id === id)?.title ?? id;

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

/** What each flag says, in the reader's language (flags are stored and sent as codes). */
export const FLAG_LABELS = translated<InvolvementFlag>({
	low_share: m.involvement_flag_low_share,
	no_recent_edit: () => m.involvement_flag_no_recent_edit({ count: QUIET_DAYS }),
	not_agreed: m.involvement_flag_not_agreed,
	review_overdue: m.involvement_flag_review_overdue,
	no_crisis_plan: m.involvement_flag_no_crisis_plan
});

/** "Never", "Today", "1 day ago", "12 days ago": how long since the person last changed their plan. */
export function describeDaysSince(days: number | null): string {
	if (days === null) return m.involvement_never();
	return days === 0 ? m.involvement_today() : m.involvement_days_ago({ count: days });
}

export const REVIEW_LABELS = translated<ReviewState>({
	not_set: m.involvement_review_not_set,
	overdue: m.involvement_review_overdue,
	due: m.involvement_review_due,
	ok: m.involvement_review_ok
});

export type MeasureId =
	'serviceUserShare' | 'ownWordsGoals' | 'coProducedSections' | 'soloSessions' | 'daysSinceServiceUserEdit' | 'agreed' | 'review' | 'crisisPlan' | 'copySeen';

/** Each measure's name, in the reader's language. */
export const MEASURE_LABELS = translated<MeasureId>({
	serviceUserShare: m.involvement_measure_share,
	ownWordsGoals: m.involvement_measure_own_words,
	coProducedSections: m.involvement_measure_together,
	soloSessions: m.involvement_measure_solo,
	daysSinceServiceUserEdit: m.involvement_measure_last_edit,
	agreed: m.involvement_measure_agreed,
	review: m.involvement_measure_review,
	crisisPlan: m.involvement_measure_crisis,
	copySeen: m.involvement_measure_seen
});

/** What each measure means, in plain words and the reader's language (shown on the dashboard; the README says the same). */
export const MEASURE_EXPLANATIONS = translated<MeasureId>({
	serviceUserShare: m.involvement_measure_share_explanation,
	ownWordsGoals: m.involvement_measure_own_words_explanation,
	coProducedSections: m.involvement_measure_together_explanation,
	soloSessions: m.involvement_measure_solo_explanation,
	daysSinceServiceUserEdit: m.involvement_measure_last_edit_explanation,
	agreed: () => m.involvement_measure_agreed_explanation({ days: formatNumber(REVIEW_PERIOD_DAYS) }),
	review: () => m.involvement_measure_review_explanation({ days: formatNumber(REVIEW_DUE_DAYS) }),
	crisisPlan: () => m.involvement_measure_crisis_explanation({ section: sectionTitle('crisis') }),
	copySeen: m.involvement_measure_seen_explanation
});

/** The measures in the order the dashboard explains them. */
export const MEASURE_IDS = Object.keys(MEASURE_LABELS) as MeasureId[];
