import { firstUpdatesFrom, listPlanWriters, listUpdateSummaries, type UpdateSummaryRow } from '$db/plan-history';
import { EditSessionGrouper, type EditSession, type LoggedChange } from '$lib/shared/edit-sessions';
import { PLAN_SECTIONS } from '$lib/shared/plan-sections';
import { db } from '../db';
import { loadAuthors, unknownAuthor, type Author } from './people';

/** Logged changes read per query while grouping a page of sessions. */
const ROWS_PER_READ = 2000;

export interface TimelineQuery {
	/** Only sessions ending before this seq (the `next` of the previous page). */
	before?: number;
	limit: number;
	/** Only sessions of this person. */
	person?: string;
	/** Only sessions that changed this section (`goals` for goals). */
	section?: string;
}

export interface TimelineSession extends EditSession {
	user: Author;
}

export interface TimelinePage {
	sessions: TimelineSession[];
	/** The `before` of the next (older) page; null when there is none. */
	next: number | null;
}

const SECTION_ORDER = new Map<string, number>([...PLAN_SECTIONS.map((section, index) => [section.id, index] as const), ['goals', PLAN_SECTIONS.length]]);

const asLogged = (row: UpdateSummaryRow): LoggedChange => row;

/** Whether a session changed a section; goals count as changed also when no words did (a status, a date, an order). */
function touches(session: EditSession, sectionId: string): boolean {
	if (session.sections.some((section) => section.id === sectionId)) return true;
	return sectionId === 'goals' && session.goals.added + session.goals.changed + session.goals.removed > 0;
}

/** A page of a plan's edit sessions, newest first. */
export async function loadTimeline(planId: string, query: TimelineQuery): Promise<TimelinePage> {
	const before = query.before ?? Number.MAX_SAFE_INTEGER;
	const boundary = query.before === undefined ? [] : await firstUpdatesFrom(db(), planId, before);
	const grouper = new EditSessionGrouper(
		new Map(boundary.map((row) => [row.userId, row])),
		(session) => (query.person === undefined || session.userId === query.person) && (query.section === undefined || touches(session, query.section))
	);
	let cursor = before;
	while (!grouper.hasPage(query.limit + 1)) {
		const rows = await listUpdateSummaries(db(), planId, cursor, ROWS_PER_READ);
		for (const row of rows) grouper.add(asLogged(row));
		if (rows.length < ROWS_PER_READ) break;
		cursor = rows.at(-1)!.seq;
	}
	// One more than asked for tells whether an older page exists.
	const found = grouper.page(query.limit + 1);
	const sessions = found.slice(0, query.limit);
	const authors = await loadAuthors(sessions.map((session) => session.userId));
	return {
		sessions: sessions.map((session) => ({
			...session,
			sections: session.sections.toSorted((a, b) => (SECTION_ORDER.get(a.id) ?? 99) - (SECTION_ORDER.get(b.id) ?? 99)),
			user: authors.get(session.userId) ?? unknownAuthor(session.userId)
		})),
		next: found.length > query.limit ? sessions.at(-1)!.toSeq : null
	};
}

/** Everyone who has changed the plan, by name (for the history's filter). */
export async function loadPlanWriters(planId: string): Promise<Author[]> {
	const writers = await listPlanWriters(db(), planId);
	return [...(await loadAuthors(writers)).values()].toSorted((a, b) => a.name.localeCompare(b.name));
}
