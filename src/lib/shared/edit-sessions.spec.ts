import { describe, expect, it } from 'vitest';
import type { ChangeSummary } from './change-summary.ts';
import { EditSessionGrouper, SESSION_GAP_MS, type EditSession, type LoggedChange } from './edit-sessions.ts';

const START = Date.parse('2026-03-02T10:00:00Z');
const MINUTE = 60_000;

function summary(sections: Record<string, [number, number]>, goals: Partial<ChangeSummary['goals']> = {}): ChangeSummary {
	return { sections, goals: { added: [], changed: [], removed: [], ...goals } };
}

/** A logged change `minutes` after START. */
function change(
	seq: number,
	userId: string,
	minutes: number,
	sections: Record<string, [number, number]> = {},
	extra: Partial<LoggedChange> = {}
): LoggedChange {
	return { seq, userId, at: new Date(START + minutes * MINUTE), context: 'joint', summary: summary(sections), ...extra };
}

/** Groups a whole log (given oldest first, as it is stored) the way the timeline reads it: newest first. */
function group(log: LoggedChange[], options: { before?: number; limit?: number; matches?: (session: EditSession) => boolean } = {}): EditSession[] {
	const before = options.before ?? Infinity;
	const boundary = new Map<string, LoggedChange>();
	for (const logged of log) if (logged.seq >= before && !boundary.has(logged.userId)) boundary.set(logged.userId, logged);
	const grouper = new EditSessionGrouper(boundary, options.matches);
	for (const logged of log.filter((candidate) => candidate.seq < before).reverse()) grouper.add(logged);
	return grouper.page(options.limit ?? 100);
}

/** Every page of the history, following `next` as the timeline does: the toSeq of each page's last session. */
function allPages(log: LoggedChange[], limit: number, matches?: (session: EditSession) => boolean): EditSession[][] {
	const pages: EditSession[][] = [];
	let before: number | undefined;
	for (;;) {
		const found = group(log, { before, limit: limit + 1, matches });
		const page = found.slice(0, limit);
		pages.push(page);
		if (found.length <= limit) return pages;
		before = page.at(-1)!.toSeq;
	}
}

describe('EditSessionGrouper', () => {
	it('makes one session per person, with their own characters and goals, while people take turns', () => {
		const log = [
			change(1, 'sam', 0, { about: [10, 0] }),
			change(2, 'priya', 1, { hope: [7, 0] }),
			change(3, 'sam', 2, { about: [5, 2] }),
			change(4, 'priya', 3, { about: [0, 4] }),
			{ ...change(5, 'sam', 4, { goals: [12, 0] }), summary: summary({ goals: [12, 0] }, { added: ['g1'] }) },
			{ ...change(6, 'priya', 4.5, { goals: [3, 0] }), summary: summary({ goals: [3, 0] }, { changed: ['g1'] }) }
		];
		expect(group(log)).toEqual([
			{
				fromSeq: 2,
				toSeq: 6,
				userId: 'priya',
				context: 'joint',
				startedAt: new Date(START + MINUTE),
				endedAt: new Date(START + 4.5 * MINUTE),
				changes: 3,
				sections: expect.arrayContaining([
					{ id: 'hope', added: 7, removed: 0 },
					{ id: 'about', added: 0, removed: 4 },
					{ id: 'goals', added: 3, removed: 0 }
				]),
				goals: { added: 0, changed: 1, removed: 0 }
			},
			{
				fromSeq: 1,
				toSeq: 5,
				userId: 'sam',
				context: 'joint',
				startedAt: new Date(START),
				endedAt: new Date(START + 4 * MINUTE),
				changes: 3,
				sections: expect.arrayContaining([
					{ id: 'about', added: 15, removed: 2 },
					{ id: 'goals', added: 12, removed: 0 }
				]),
				goals: { added: 1, changed: 0, removed: 0 }
			}
		]);
	});

	it('starts a new session after a pause longer than the gap, or when the context changes', () => {
		const log = [
			change(1, 'sam', 0, { about: [1, 0] }, { context: 'solo' }),
			change(2, 'sam', 1, { about: [1, 0] }, { context: 'solo' }),
			change(3, 'sam', 2, { about: [1, 0] }),
			change(4, 'sam', 2 + SESSION_GAP_MS / MINUTE + 1, { about: [1, 0] })
		];
		expect(group(log).map((session) => [session.fromSeq, session.toSeq, session.context])).toEqual([
			[4, 4, 'joint'],
			[3, 3, 'joint'],
			[1, 2, 'solo']
		]);
	});

	it('does not count a goal as changed when the same session added or removed it', () => {
		const log = [
			{ ...change(1, 'tom', 0), summary: summary({ goals: [4, 0] }, { added: ['g1'] }) },
			{ ...change(2, 'tom', 1), summary: summary({ goals: [2, 0] }, { changed: ['g1', 'g2'] }) },
			{ ...change(3, 'tom', 2), summary: summary({ goals: [0, 9] }, { removed: ['g2'] }) }
		];
		expect(group(log)[0]!.goals).toEqual({ added: 1, changed: 0, removed: 1 });
	});

	it('counts changes without a summary (stored before summaries existed) but no characters for them', () => {
		const [session] = group([change(1, 'sam', 0, {}, { summary: null }), change(2, 'sam', 1, { crisis: [3, 0] })]);
		expect(session).toMatchObject({ fromSeq: 1, toSeq: 2, changes: 2, sections: [{ id: 'crisis', added: 3, removed: 0 }] });
	});

	it('pages through interleaved sessions without losing or repeating one', () => {
		// Sessions overlap in seq: sam 1–9, priya 2–7, alex 8–12 (with a pause), sam again after a long pause.
		const log = [
			change(1, 'sam', 0, { about: [3, 0] }),
			change(2, 'priya', 0.5, { hope: [2, 0] }),
			change(3, 'sam', 1, { about: [1, 0] }),
			change(4, 'priya', 1.5, { hope: [1, 0] }),
			change(5, 'sam', 2, { about: [1, 0] }, { context: 'solo' }),
			change(6, 'sam', 2.2, { about: [1, 0] }, { context: 'solo' }),
			change(7, 'priya', 2.5, { about: [0, 1] }),
			change(8, 'alex', 3, { meaning: [4, 0] }),
			change(9, 'sam', 3.5, { about: [2, 0] }),
			change(10, 'alex', 4, { meaning: [4, 0] }),
			change(11, 'alex', 20, { meaning: [1, 0] }),
			change(12, 'sam', 21, { crisis: [6, 0] })
		];
		const everything = group(log);
		expect(everything.map((session) => `${session.userId}:${session.fromSeq}-${session.toSeq}`)).toEqual([
			'sam:12-12',
			'alex:11-11',
			'alex:8-10',
			'sam:9-9',
			'priya:2-7',
			'sam:5-6',
			'sam:1-3'
		]);
		for (const limit of [1, 2, 3]) {
			const pages = allPages(log, limit);
			expect(pages.flat(), `limit ${limit}`).toEqual(everything);
			for (const page of pages.slice(0, -1)) expect(page).toHaveLength(limit);
		}
	});

	it('pages through one person’s sessions or one section’s the same way', () => {
		const log = [
			change(1, 'sam', 0, { about: [3, 0] }),
			change(2, 'priya', 0.5, { hope: [2, 0] }),
			change(3, 'sam', 1, { hope: [1, 0] }, { context: 'solo' }),
			change(4, 'priya', 1.5, { about: [0, 1] }, { context: 'solo' }),
			change(5, 'sam', 2, { about: [1, 0] })
		];
		const bySam = (session: EditSession) => session.userId === 'sam';
		const inAbout = (session: EditSession) => session.sections.some((section) => section.id === 'about');
		expect(
			allPages(log, 1, bySam)
				.flat()
				.map((session) => `${session.fromSeq}-${session.toSeq}`)
		).toEqual(['5-5', '3-3', '1-1']);
		expect(
			allPages(log, 1, inAbout)
				.flat()
				.map((session) => `${session.userId}:${session.fromSeq}-${session.toSeq}`)
		).toEqual(['sam:5-5', 'priya:4-4', 'sam:1-1']);
	});

	it('keeps a restore as a session of its own, between the restorer’s typing before and after', () => {
		const restore = { ...change(2, 'tom', 1), summary: { ...summary({ about: [8, 5] }), restoredFrom: 1 } };
		const log = [change(1, 'tom', 0, { about: [5, 0] }), restore, change(3, 'tom', 2, { about: [1, 0] })];
		expect(group(log).map((session) => [session.fromSeq, session.toSeq, session.restoredFrom])).toEqual([
			[3, 3, undefined],
			[2, 2, 1],
			[1, 1, undefined]
		]);
		expect(allPages(log, 1).flat()).toEqual(group(log));
	});

	it('knows when a page is complete before reading the whole log', () => {
		const grouper = new EditSessionGrouper(new Map());
		grouper.add(change(10, 'sam', 60));
		grouper.add(change(9, 'priya', 59));
		expect(grouper.hasPage(1)).toBe(false);
		grouper.add(change(8, 'sam', 30));
		expect(grouper.hasPage(2)).toBe(true);
		expect(grouper.page(2).map((session) => session.userId)).toEqual(['sam', 'priya']);
	});
});
