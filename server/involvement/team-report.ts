import { lastOwnLooks } from '../../db/access-log.ts';
import { loadInvolvementMonths, loadPlanInvolvements } from '../../db/involvement.ts';
import { listTeamPlans, type PlanSummary } from '../../db/plans.ts';
import type { PlanInvolvement, PlanInvolvementMonth, SectionInvolvement } from '../../db/schema/index.ts';
import { listTeamsOf } from '../../db/teams.ts';
import type { Database } from '../../db/types.ts';
import { finishMeasures, monthsUpTo, type InvolvementMeasures } from '../../src/lib/shared/involvement.ts';
import type { InvolvementExportRow } from '../../src/lib/shared/involvement-export.ts';
import { getLivePlans } from '../../src/lib/shared/live-plans.ts';
import { CHIME_DOMAINS, type ChimeDomain } from '../../src/lib/shared/plan-sections.ts';

// The involvement audit's figures for a team or a plan: read by the audit pages (src/lib/server/involvement.ts) and
// by the export (server/commands/exports.ts).

export interface PlanInvolvementRow extends InvolvementMeasures {
	planId: string;
	title: string;
	serviceUser: { id: string; name: string };
	/** Section id (and `goals`) → characters by who wrote them. */
	sections: Record<string, SectionInvolvement>;
}

export interface TeamInvolvementSummary {
	plans: number;
	needingAttention: number;
	/** Plans per tenth of service-user share (0–10 %, …, 90–100 %); plans with no words are left out. */
	shareDistribution: number[];
	plansWithoutWords: number;
	/** The last 12 months, oldest first: the average plan's service-user share at the month's end, and sessions between appointments. */
	trend: { month: string; share: number | null; soloSessions: number }[];
	/** Per CHIME domain: the average plan's service-user share of that section, and how many plans wrote it together. */
	domains: { domain: ChimeDomain; share: number | null; coProduced: number; written: number }[];
}

export interface TeamInvolvement {
	team: { id: string; name: string };
	generatedAt: Date;
	plans: PlanInvolvementRow[];
	summary: TeamInvolvementSummary;
}

/** The teams a supervisor oversees. */
export async function supervisedTeams(db: Database, supervisorId: string): Promise<{ id: string; name: string }[]> {
	return (await listTeamsOf(db, supervisorId)).map((team) => ({ id: team.id, name: team.name }));
}

const average = (values: number[]): number | null => (values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length);

type MonthFigures = Pick<PlanInvolvementMonth, 'totalChars' | 'serviceUserChars' | 'soloSessions'>;

/**
 * A plan's figures at the end of a month (this month: now), from its stored months (oldest first). Each measurement
 * stores every month from the plan's creation up to the month it ran in, and every change is measured; so a month
 * after the last stored one had no change, and holds the plan's figures as they are now, with no sessions. A month
 * before the first stored one is before the plan existed (null).
 */
function figuresAtMonthEnd(current: PlanInvolvement, stored: PlanInvolvementMonth[], month: string): MonthFigures | null {
	const row = stored.find((candidate) => candidate.month === month);
	if (row) return row;
	const last = stored.at(-1);
	if (last && month < last.month) return null;
	return { totalChars: current.totalChars, serviceUserChars: current.serviceUserChars, soloSessions: 0 };
}

/** Every plan of a team the supervisor oversees, with its involvement measures (brought up to date first). */
export async function loadTeamInvolvement(db: Database, supervisorId: string, team: { id: string; name: string }, now = new Date()): Promise<TeamInvolvement> {
	const plans = (await listTeamPlans(db, supervisorId)).filter((plan) => plan.team.id === team.id);
	return { team, generatedAt: now, ...(await measurePlans(db, plans, now)) };
}

/** The measures of these plans, after bringing stale ones up to date. */
export async function measurePlans(
	db: Database,
	plans: PlanSummary[],
	now = new Date()
): Promise<{ plans: PlanInvolvementRow[]; summary: TeamInvolvementSummary }> {
	const planIds = plans.map((plan) => plan.id);
	await getLivePlans().refreshInvolvement(planIds);
	const months = monthsUpTo(now, 12);
	const [stored, looks, monthRows] = await Promise.all([
		loadPlanInvolvements(db, planIds),
		lastOwnLooks(db, planIds),
		loadInvolvementMonths(db, planIds, months[0]!)
	]);
	const storedBy = new Map(stored.map((row) => [row.planId, row]));
	const rows: PlanInvolvementRow[] = [];
	for (const plan of plans) {
		const figures = storedBy.get(plan.id);
		if (!figures) continue; // a plan created this very moment: measured on the next look
		rows.push({
			planId: plan.id,
			title: plan.title,
			serviceUser: { id: plan.serviceUser.id, name: plan.serviceUser.displayName },
			sections: figures.sections,
			...finishMeasures(figures, plan.reviewDate, looks.get(plan.id) ?? null, now)
		});
	}

	const shareDistribution = Array.from({ length: 10 }, () => 0);
	for (const row of rows) if (row.serviceUserShare !== null) shareDistribution[Math.min(9, Math.floor(row.serviceUserShare * 10))]! += 1;
	const monthsByPlan = new Map<string, PlanInvolvementMonth[]>();
	for (const row of monthRows) {
		const ofPlan = monthsByPlan.get(row.planId);
		if (ofPlan) ofPlan.push(row);
		else monthsByPlan.set(row.planId, [row]);
	}
	const trend = months.map((month) => {
		const ofMonth = stored.map((figures) => figuresAtMonthEnd(figures, monthsByPlan.get(figures.planId) ?? [], month)).filter((row) => row !== null);
		return {
			month,
			share: average(ofMonth.filter((row) => row.totalChars > 0).map((row) => row.serviceUserChars / row.totalChars)),
			soloSessions: ofMonth.reduce((sum, row) => sum + row.soloSessions, 0)
		};
	});
	const domains = CHIME_DOMAINS.map((domain) => {
		const written = rows.filter((row) => (row.sections[domain]?.total ?? 0) > 0);
		return {
			domain,
			share: average(written.map((row) => row.sections[domain]!.serviceUser / row.sections[domain]!.total)),
			coProduced: written.filter((row) => row.sections[domain]!.serviceUser > 0 && row.sections[domain]!.professional > 0).length,
			written: written.length
		};
	});
	return {
		plans: rows,
		summary: {
			plans: rows.length,
			needingAttention: rows.filter((row) => row.flags.length > 0).length,
			shareDistribution,
			plansWithoutWords: rows.filter((row) => row.serviceUserShare === null).length,
			trend,
			domains
		}
	};
}

/** A plan's row as the export gives it. */
export function exportRow(row: PlanInvolvementRow): InvolvementExportRow {
	return {
		plan_id: row.planId,
		plan_title: row.title,
		service_user: row.serviceUser.name,
		service_user_share_percent: row.serviceUserShare === null ? null : Math.round(row.serviceUserShare * 1000) / 10,
		goals: row.goals,
		own_words_goals: row.ownWordsGoals,
		non_empty_sections: row.nonEmptySections,
		co_produced_sections: row.coProducedSections,
		solo_sessions_30_days: row.soloSessions30,
		solo_sessions_90_days: row.soloSessions90,
		days_since_service_user_edit: row.daysSinceServiceUserEdit,
		agreed: row.agreed,
		review_date: row.reviewDate,
		review: row.review,
		crisis_plan: row.crisisPlan,
		copy_seen: row.copySeen,
		flags: row.flags
	};
}
