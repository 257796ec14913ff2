import { formatDate, todayIso } from '../../src/lib/shared/dates.ts';
import type { InvolvementExportRow } from '../../src/lib/shared/involvement-export.ts';
import { done, refused, type Outcome } from '../../src/lib/shared/outcome.ts';
import { isUuid } from '../../src/lib/shared/validation.ts';
import { exportRow, loadTeamInvolvement, supervisedTeams } from '../involvement/team-report.ts';
import { auditAs, type CommandContext } from './actor.ts';
import { openPlanFor, type PlanAccessCode } from './plan-access.ts';
import { currentPlanText } from './plan-documents.ts';

/** A plan's plain-text copy and the day it was made (for the file name). */
export interface PlanCopy {
	text: string;
	day: string;
}

/** A plain-text copy of the plan as it is now, for anyone who may read it; every copy is recorded (`plan.exported`). */
export async function exportPlan(context: CommandContext, planId: string): Promise<Outcome<PlanCopy, PlanAccessCode>> {
	const opened = await openPlanFor(context, planId);
	if (!opened.ok) return opened;
	const { plan } = opened.value;
	const day = todayIso();
	const text = await currentPlanText(context.db, plan.id, { title: plan.title, person: plan.serviceUser.displayName, printedAt: formatDate(day) });
	await auditAs(context, { action: 'plan.exported', targetType: 'plan', targetId: plan.id, detail: { format: 'text' } });
	return done({ text, day });
}

export type InvolvementFormat = 'json' | 'csv';

/** Which team (may be left out by a supervisor of one team) and which format (json when left out). */
export interface InvolvementExportInput {
	team: string | null;
	format: string | null;
}

export type InvolvementExportCode = 'involvement-supervisors-only' | 'export-format-invalid' | 'team-choice-needed' | 'team-id-invalid' | 'team-not-overseen';

/** A team's involvement figures as the export gives them: one row per plan. */
export interface InvolvementExport {
	team: { id: string; name: string };
	format: InvolvementFormat;
	generatedAt: Date;
	rows: InvolvementExportRow[];
}

/**
 * The involvement figures of a team the supervisor oversees, one row per plan; every export is recorded
 * (`involvement.exported`). Another team's figures are refused exactly like a team that does not exist.
 */
export async function exportInvolvement(context: CommandContext, input: InvolvementExportInput): Promise<Outcome<InvolvementExport, InvolvementExportCode>> {
	const { db, actor } = context;
	if (actor.kind !== 'person' || actor.user.role !== 'supervisor') return refused('involvement-supervisors-only');
	const format = input.format ?? 'json';
	if (format !== 'json' && format !== 'csv') return refused('export-format-invalid');
	const teams = await supervisedTeams(db, actor.user.id);
	if (input.team === null && teams.length !== 1) return refused('team-choice-needed');
	if (input.team !== null && !isUuid(input.team)) return refused('team-id-invalid');
	const team = input.team === null ? teams[0] : teams.find((candidate) => candidate.id === input.team);
	if (!team) return refused('team-not-overseen');
	const involvement = await loadTeamInvolvement(db, actor.user.id, team);
	await auditAs(context, { action: 'involvement.exported', targetType: 'team', targetId: team.id, detail: { format, plans: involvement.plans.length } });
	return done({ team, format, generatedAt: involvement.generatedAt, rows: involvement.plans.map(exportRow) });
}
