import type { ChangeSummary } from './change-summary.ts';

/** Changes by one person less than this far apart belong to one edit session. */
export const SESSION_GAP_MS = 5 * 60_000;

/** A logged change, as the history groups it. */
export interface LoggedChange {
	seq: number;
	userId: string;
	at: Date;
	context: 'joint' | 'solo';
	summary: ChangeSummary | null;
}

/**
 * A run of one person's changes, each less than SESSION_GAP_MS after the one before, all in the same context.
 * Other people's changes may fall in between (in a joint session people take turns within seconds).
 */
export interface EditSession {
	fromSeq: number;
	toSeq: number;
	userId: string;
	context: 'joint' | 'solo';
	startedAt: Date;
	endedAt: Date;
	/** How many logged changes it is made of. */
	changes: number;
	sections: { id: string; added: number; removed: number }[];
	goals: { added: number; changed: number; removed: number };
	/** A restore (always a session of its own): the seq of the version brought back. */
	restoredFrom?: number;
}

interface Draft {
	session: EditSession;
	sectionTotals: Map<string, [number, number]>;
	goals: { added: Set<string>; changed: Set<string>; removed: Set<string> };
	closed: boolean;
	/** Part of a session that ends at or after the page boundary: shown on an earlier page. */
	belongsToNewerPage: boolean;
}

type SessionEdge = Pick<LoggedChange, 'at' | 'context'> & { restore?: boolean };

const isRestore = (change: LoggedChange): boolean => change.summary?.restoredFrom !== undefined;

/** `earlier` (the change just before) continues the session whose earliest change so far is `later`. Restores stand alone. */
const continues = (earlier: SessionEdge, later: SessionEdge): boolean =>
	!earlier.restore && !later.restore && earlier.context === later.context && later.at.getTime() - earlier.at.getTime() <= SESSION_GAP_MS;

/**
 * Groups logged changes, fed newest first, into edit sessions ordered newest first (by their last change).
 * One page of the history: sessions that end before a boundary seq. `boundary` holds each person's first change at
 * or after it, so that a session running across the boundary is left to the page that shows its end.
 */
export class EditSessionGrouper {
	private readonly open = new Map<string, Draft>();
	private readonly drafts: Draft[] = [];

	constructor(
		private readonly boundary: ReadonlyMap<string, LoggedChange>,
		private readonly matches: (session: EditSession) => boolean = () => true
	) {}

	/** Adds the next older change. */
	add(change: LoggedChange): void {
		for (const [userId, draft] of this.open) {
			if (draft.session.startedAt.getTime() - change.at.getTime() > SESSION_GAP_MS) this.close(userId, draft);
		}
		const current = this.open.get(change.userId);
		const edge: SessionEdge = { at: change.at, context: change.context, restore: isRestore(change) };
		if (current && continues(edge, { at: current.session.startedAt, context: current.session.context, restore: current.session.restoredFrom !== undefined })) {
			this.extend(current, change);
			return;
		}
		if (current) this.close(change.userId, current);
		const after = this.boundary.get(change.userId);
		const draft: Draft = {
			session: {
				fromSeq: change.seq,
				toSeq: change.seq,
				userId: change.userId,
				context: change.context,
				startedAt: change.at,
				endedAt: change.at,
				changes: 0,
				sections: [],
				goals: { added: 0, changed: 0, removed: 0 },
				...(isRestore(change) ? { restoredFrom: change.summary!.restoredFrom } : {})
			},
			sectionTotals: new Map(),
			goals: { added: new Set(), changed: new Set(), removed: new Set() },
			closed: false,
			belongsToNewerPage: !current && after !== undefined && continues(edge, { at: after.at, context: after.context, restore: isRestore(after) })
		};
		this.open.set(change.userId, draft);
		if (!draft.belongsToNewerPage) this.drafts.push(draft);
		this.extend(draft, change);
	}

	/** True once the newest `limit` matching sessions are complete: no older change can still join them. */
	hasPage(limit: number): boolean {
		let found = 0;
		for (const draft of this.drafts) {
			if (!draft.closed) return false;
			if (this.matches(draft.session) && ++found >= limit) return true;
		}
		return false;
	}

	/** The newest `limit` matching sessions; call after `hasPage`, or once every older change was added. */
	page(limit: number): EditSession[] {
		for (const [userId, draft] of this.open) this.close(userId, draft);
		return this.drafts
			.map((draft) => draft.session)
			.filter(this.matches)
			.slice(0, limit);
	}

	private extend(draft: Draft, change: LoggedChange): void {
		const session = draft.session;
		session.fromSeq = change.seq;
		session.startedAt = change.at;
		session.changes += 1;
		if (!change.summary) return;
		for (const [section, [added, removed]] of Object.entries(change.summary.sections)) {
			const total = draft.sectionTotals.get(section) ?? [0, 0];
			draft.sectionTotals.set(section, [total[0] + added, total[1] + removed]);
		}
		for (const id of change.summary.goals.added) draft.goals.added.add(id);
		for (const id of change.summary.goals.changed) draft.goals.changed.add(id);
		for (const id of change.summary.goals.removed) draft.goals.removed.add(id);
	}

	private close(userId: string, draft: Draft): void {
		if (this.open.get(userId) === draft) this.open.delete(userId);
		if (draft.closed) return;
		draft.closed = true;
		draft.session.sections = [...draft.sectionTotals].map(([id, [added, removed]]) => ({ id, added, removed }));
		const { added, changed, removed } = draft.goals;
		draft.session.goals = {
			added: added.size,
			changed: [...changed].filter((id) => !added.has(id) && !removed.has(id)).length,
			removed: removed.size
		};
	}
}

/** One person's edit sessions, from their changes oldest first (the same rule as the timeline). */
export function sessionsOfOnePerson(changes: readonly LoggedChange[]): { startedAt: Date; endedAt: Date; context: 'joint' | 'solo'; restore: boolean }[] {
	const sessions: { startedAt: Date; endedAt: Date; context: 'joint' | 'solo'; restore: boolean }[] = [];
	for (const change of changes) {
		const last = sessions.at(-1);
		const edge: SessionEdge = { at: change.at, context: change.context, restore: isRestore(change) };
		if (last && continues({ at: last.endedAt, context: last.context, restore: last.restore }, edge)) last.endedAt = change.at;
		else sessions.push({ startedAt: change.at, endedAt: change.at, context: change.context, restore: edge.restore ?? false });
	}
	return sessions;
}
