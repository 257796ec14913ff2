import { findPlanOwner, loadInvolvementMonths, savePlanInvolvement, type NewPlanInvolvement } from '../../db/involvement.ts';
import { listChangesBy, loadPlanLog, loadPlanStateAt } from '../../db/plan-history.ts';
import { loadPlanClients, loadPlanState } from '../../db/plan-log.ts';
import { listPlanVersions } from '../../db/plan-versions.ts';
import type { PlanInvolvementMonth } from '../../db/schema/index.ts';
import type { Database } from '../../db/types.ts';
import { sessionsOfOnePerson } from '../../src/lib/shared/edit-sessions.ts';
import { monthsUpTo } from '../../src/lib/shared/involvement.ts';
import { packStoredState, packUpdates, type PackedUpdates } from '../../src/lib/shared/packed-updates.ts';
import { runWork } from '../../src/lib/shared/work-pool.ts';
import { measureContentReplay, totalOf, type Totals } from './content-measures.ts';

const nextMonth = (month: string): Date => {
	const date = new Date(`${month}T00:00:00Z`);
	return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1));
};

/**
 * Recomputes a plan's involvement measures from its log, its client bindings and its versions, and stores them.
 * Past months of the 12-month trend are computed once (from a replay of the log) and then kept.
 */
export async function measurePlanInvolvement(db: Database, planId: string, now = new Date()): Promise<void> {
	const plan = await findPlanOwner(db, planId);
	if (!plan) return;
	const months = monthsUpTo(now, 12);
	const [owners, changesByServiceUser, versions, storedMonths] = await Promise.all([
		loadPlanClients(db, planId),
		listChangesBy(db, planId, plan.serviceUserId),
		listPlanVersions(db, planId),
		loadInvolvementMonths(db, [planId], months[0]!)
	]);
	const stored = new Map(storedMonths.map((month) => [month.month, month]));
	const createdMonth = `${plan.createdAt.toISOString().slice(0, 7)}-01`;
	const pastMonths = months.slice(0, -1).filter((month) => month >= createdMonth);
	const missing = new Set(pastMonths.filter((month) => !stored.has(month)));

	// Agreement: the service user's latest answer on each version; the newest version they agree with.
	let agreed: { seq: number; at: Date } | null = null;
	for (const version of versions) {
		const answer = version.signOffs.filter((signOff) => signOff.userId === plan.serviceUserId).at(-1);
		if (answer?.decision === 'agree' && (!agreed || answer.at > agreed.at)) agreed = { seq: version.seq, at: answer.at };
	}

	// The plan now: from the whole log when some past month was never measured (the plan at each month's end is
	// counted on the way), otherwise from its checkpoint. The database is read here; the replay runs in a worker.
	let updates: PackedUpdates;
	let at: Float64Array | null = null;
	let seq: number;
	if (missing.size > 0) {
		const log = await loadPlanLog(db, planId, 1, Number.MAX_SAFE_INTEGER);
		updates = packUpdates(log.map((change) => change.update));
		at = Float64Array.from(log, (change) => change.at.getTime());
		seq = log.at(-1)?.seq ?? 0;
	} else {
		const state = await loadPlanState(db, planId);
		updates = packStoredState(state.checkpoint, state.tail);
		seq = state.lastSeq;
	}
	let agreedVersion: PackedUpdates | null = null;
	if (agreed && agreed.seq !== seq) {
		const atVersion = await loadPlanStateAt(db, planId, agreed.seq);
		agreedVersion = packStoredState(atVersion.checkpoint, atVersion.tail);
	}
	const measured = await runWork(
		measureContentReplay,
		{
			updates,
			at,
			months: at ? pastMonths.map((month) => ({ month, end: nextMonth(month).getTime(), missing: missing.has(month) })) : [],
			owners: [...owners],
			serviceUserId: plan.serviceUserId,
			agreedVersion
		},
		'background'
	);
	const { content } = measured;
	const totals = totalOf(content);
	const monthEnds = new Map(measured.monthEnds);
	const currentAgreed = agreed !== null && (agreed.seq === seq || measured.agreedVersionMatches === true);

	const sessions = sessionsOfOnePerson(changesByServiceUser);
	const soloSessionEnds = sessions.filter((session) => session.context === 'solo' && !session.restore).map((session) => session.endedAt);

	const row: NewPlanInvolvement = {
		planId,
		throughSeq: seq,
		totalChars: totals.total,
		serviceUserChars: totals.serviceUser,
		goals: content.goals,
		ownWordsGoals: content.ownWordsGoals,
		nonEmptySections: Object.entries(content.sections).filter(([id, section]) => id !== 'goals' && section.total > 0).length,
		coProducedSections: Object.entries(content.sections).filter(([id, section]) => id !== 'goals' && section.serviceUser > 0 && section.professional > 0)
			.length,
		crisisPlanWritten: (content.sections.crisis?.total ?? 0) > 0,
		sections: content.sections,
		serviceUserLastEditAt: changesByServiceUser.at(-1)?.at ?? null,
		soloSessionEnds: soloSessionEnds.map((end) => end.toISOString()),
		currentAgreedByServiceUser: currentAgreed,
		serviceUserAgreedAt: agreed?.at ?? null
	};
	const thisMonth = months.at(-1)!;
	const figuresOf = (month: string): Totals => {
		if (month === thisMonth) return totals;
		const storedMonth = stored.get(month);
		return monthEnds.get(month) ?? { total: storedMonth?.totalChars ?? 0, serviceUser: storedMonth?.serviceUserChars ?? 0 };
	};
	const monthRows: PlanInvolvementMonth[] = [...pastMonths, thisMonth].map((month) => {
		const start = new Date(`${month}T00:00:00Z`).getTime();
		const end = nextMonth(month).getTime();
		const figures = figuresOf(month);
		return {
			planId,
			month,
			totalChars: figures.total,
			serviceUserChars: figures.serviceUser,
			soloSessions: soloSessionEnds.filter((ended) => ended.getTime() >= start && ended.getTime() < end).length
		};
	});
	await savePlanInvolvement(db, row, monthRows);
}
