import type { InvolvementFlag, ReviewState } from './involvement.ts';

/** The row the export gives per plan: one column per measure (the README documents each). */
export interface InvolvementExportRow {
	plan_id: string;
	plan_title: string;
	service_user: string;
	/** Percent of the plan's characters written by the service user, one decimal; null while the plan is empty. */
	service_user_share_percent: number | null;
	goals: number;
	own_words_goals: number;
	non_empty_sections: number;
	co_produced_sections: number;
	solo_sessions_30_days: number;
	solo_sessions_90_days: number;
	days_since_service_user_edit: number | null;
	agreed: boolean;
	review_date: string | null;
	review: ReviewState;
	crisis_plan: boolean;
	copy_seen: boolean;
	/** Flags for attention, separated by `;` in CSV. */
	flags: InvolvementFlag[];
}

export const INVOLVEMENT_EXPORT_COLUMNS: readonly (keyof InvolvementExportRow)[] = [
	'plan_id',
	'plan_title',
	'service_user',
	'service_user_share_percent',
	'goals',
	'own_words_goals',
	'non_empty_sections',
	'co_produced_sections',
	'solo_sessions_30_days',
	'solo_sessions_90_days',
	'days_since_service_user_edit',
	'agreed',
	'review_date',
	'review',
	'crisis_plan',
	'copy_seen',
	'flags'
];

/** One CSV field: quoted when needed; text a spreadsheet would run as a formula is made inert. */
function csvField(value: InvolvementExportRow[keyof InvolvementExportRow]): string {
	if (value === null) return '';
	if (Array.isArray(value)) return csvField(value.join(';'));
	let text = String(value);
	if (/^[=+\-@\t\r]/.test(text) && typeof value === 'string') text = `'${text}`;
	return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** RFC 4180 CSV with a header row, CRLF line ends. */
export function involvementCsv(rows: readonly InvolvementExportRow[]): string {
	const lines = [INVOLVEMENT_EXPORT_COLUMNS.join(','), ...rows.map((row) => INVOLVEMENT_EXPORT_COLUMNS.map((column) => csvField(row[column])).join(','))];
	return `${lines.join('\r\n')}\r\n`;
}
