import * as Y from 'yjs';
import { findPlanOwner, loadInvolvementMonths, savePlanInvolvement, type NewPlanInvolvement } from '../../db/involvement.ts';
import { listChangesBy, loadPlanLog, loadPlanStateAt } from '../../db/plan-history.ts';
import { loadPlanClients, loadPlanState } from '../../db/plan-log.ts';
import { listPlanVersions } from '../../db/plan-versions.ts';
import type { PlanInvolvementMonth, SectionInvolvement } from '../../db/schema/index.ts';
import type { Database } from '../../db/types.ts';
import { countAuthorship, type CharsByClient } from '../../src/lib/shared/authorship.ts';
import { sessionsOfOnePerson } from '../../src/lib/shared/edit-sessions.ts';
import { monthsUpTo } from '../../src/lib/shared/involvement.ts';
import { docFromStored, planContent } from '../../src/lib/shared/plan-content.ts';

interface Totals {
	total: number;
	serviceUser: number;
}

const totalOf = (figures: ContentFigures): Totals => {
	let total = 0;
	let serviceUser = 0;
	for (const section of Object.values(figures.sections)) {
		total += section.total;
		serviceUser += section.serviceUser;
	}
	return { total, serviceUser };
};

interface ContentFigures {
	sections: Record<string, SectionInvolvement>;
	goals: number;
	ownWordsGoals: number;
}

/** Characters by the service user and by everyone else, per section, `goals`, and per goal. */
function measureContent(doc: Y.Doc, owners: Map<number, string>, serviceUserId: string): ContentFigures {
	const split = (byClient: CharsByClient): SectionInvolvement => {
		let total = 0;
		let serviceUser = 0;
		for (const [client, chars] of byClient) {
			total += chars;
			if (owners.get(client) === serviceUserId) serviceUser += chars;
		}
		return { total, serviceUser, professional: total - serviceUser };
	};
	const counted = countAuthorship(doc);
	const sections: Record<string, SectionInvolvement> = {};
	for (const section of counted.sections) sections[section.id] = split(section.byClient);
	sections.goals = split(counted.allGoals.byClient);
	const goalShares = counted.goals.map((goal) => split(goal.byClient));
	return {
		sections,
		goals: goalShares.length,
		ownWordsGoals: goalShares.filter((goal) => goal.total > 0 && goal.serviceUser * 2 >= goal.total).length
	};
}

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

	// The plan now, and (only when some past month was never measured) the plan at each month's end.
	let doc: Y.Doc;
	let seq: number;
	const monthEnds = new Map<string, Totals>();
	if (missing.size > 0) {
		const log = await loadPlanLog(db, planId, 1, Number.MAX_SAFE_INTEGER);
		doc = new Y.Doc();
		let next = 0;
		for (const month of pastMonths) {
			const end = nextMonth(month).getTime();
			doc.transact(() => {
				for (; next < log.length && log[next]!.at.getTime() < end; next++) Y.applyUpdate(doc, log[next]!.update);
			});
			if (missing.has(month)) monthEnds.set(month, totalOf(measureContent(doc, owners, plan.serviceUserId)));
		}
		doc.transact(() => {
			for (; next < log.length; next++) Y.applyUpdate(doc, log[next]!.update);
		});
		seq = log.at(-1)?.seq ?? 0;
	} else {
		const state = await loadPlanState(db, planId);
		doc = docFromStored(state.checkpoint, state.tail);
		seq = state.lastSeq;
	}
	const content = measureContent(doc, owners, plan.serviceUserId);
	const totals = totalOf(content);

	const sessions = sessionsOfOnePerson(changesByServiceUser);
	const soloSessionEnds = sessions.filter((session) => session.context === 'solo' && !session.restore).map((session) => session.endedAt);

	// Agreement: the service user's latest answer on each version; the newest version they agree with.
	let agreed: { seq: number; at: Date } | null = null;
	for (const version of versions) {
		const answer = version.signOffs.filter((signOff) => signOff.userId === plan.serviceUserId).at(-1);
		if (answer?.decision === 'agree' && (!agreed || answer.at > agreed.at)) agreed = { seq: version.seq, at: answer.at };
	}
	let currentAgreed = false;
	if (agreed) {
		if (agreed.seq === seq) currentAgreed = true;
		else {
			const atVersion = await loadPlanStateAt(db, planId, agreed.seq);
			const versionDoc = docFromStored(atVersion.checkpoint, atVersion.tail);
			currentAgreed = planContent(versionDoc) === planContent(doc);
			versionDoc.destroy();
		}
	}
	doc.destroy();

	const row: NewPlanInvolvement = {
		planId,
		throughSeq: seq,
		totalChars: totals.total,
		serviceUserChars: totals.serviceUser,
		goals: content.goals,
		ownWordsGoals: content.ownWordsGoals,
		nonEmptySections: Object.entries(content.sections).filter(([id, section]) => id !== 'goals' && section.total > 0).length,
		coProducedSections: Object.entries(content.sections).filter(([id, section]) => id !== 'goals' && section.serviceUser > 0 && section.professional > 0).length,
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
