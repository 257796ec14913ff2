import { m } from '../paraglide/messages.js';
import type { InvolvementFlag, ReviewState } from './involvement.ts';
import type { Locale } from './locale.ts';

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

export type InvolvementExportColumn = (typeof INVOLVEMENT_EXPORT_COLUMNS)[number];

const COLUMN_LABELS: Record<InvolvementExportColumn, (inputs: Record<string, never>, options: { locale?: Locale }) => string> = {
	plan_id: m.audit_column_plan_id,
	plan_title: m.audit_column_plan_title,
	service_user: m.audit_column_service_user,
	service_user_share_percent: m.audit_column_service_user_share_percent,
	goals: m.audit_column_goals,
	own_words_goals: m.audit_column_own_words_goals,
	non_empty_sections: m.audit_column_non_empty_sections,
	co_produced_sections: m.audit_column_co_produced_sections,
	solo_sessions_30_days: m.audit_column_solo_sessions_30_days,
	solo_sessions_90_days: m.audit_column_solo_sessions_90_days,
	days_since_service_user_edit: m.audit_column_days_since_service_user_edit,
	agreed: m.audit_column_agreed,
	review_date: m.audit_column_review_date,
	review: m.audit_column_review,
	crisis_plan: m.audit_column_crisis_plan,
	copy_seen: m.audit_column_copy_seen,
	flags: m.audit_column_flags
};

/** Each column's name for people, in `locale` (the page's language when left out), in the order of the columns. */
export function involvementColumnLabels(locale?: Locale): string[] {
	return INVOLVEMENT_EXPORT_COLUMNS.map((column) => COLUMN_LABELS[column]({}, locale ? { locale } : {}));
}

/**
 * Where a spreadsheet could start a formula in a cell's text: at its start, or after any `,` `;` tab or line break
 * inside it (a spreadsheet may split on any of them, whatever this file uses), past spaces and quotes. Tab and CR
 * count as formula starts too: some spreadsheets drop them and read on.
 */
const FORMULA_START = /(?=[=+\-@\t\r])(?<=(?:^|[,;\t\r\n])(?:[^\S\t\r\n]|")*)/g;

/** Text that no spreadsheet runs as a formula, however it splits the line: an apostrophe before each formula start. */
export function inertCsvText(text: string): string {
	return text.replace(FORMULA_START, "'");
}

/** One CSV field: quoted when it holds a separator, quote or line break; text made inert (numbers stay numbers). */
function csvField(value: InvolvementExportRow[keyof InvolvementExportRow]): string {
	if (value === null) return '';
	if (Array.isArray(value)) return csvField(value.join(';'));
	const text = typeof value === 'string' ? inertCsvText(value) : String(value);
	return /[",;\t\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export interface InvolvementCsvOptions {
	/**
	 * Put one more row first: each column's name for people in this language (`GET /api/audit/involvement?…&labels=1`,
	 * the audit page's "CSV with column names in …" link). The row of machine names follows it unchanged, so a
	 * program reading the file skips one line; without this option the file starts with the machine names.
	 */
	labelsIn?: Locale;
}

/**
 * RFC 4180 CSV, CRLF line ends: a header row of the stable machine column names (English codes, never translated),
 * then one row per plan; with `labelsIn`, a row of column names in that language above the header.
 */
export function involvementCsv(rows: readonly InvolvementExportRow[], options: InvolvementCsvOptions = {}): string {
	const lines = [
		...(options.labelsIn ? [involvementColumnLabels(options.labelsIn).map(csvField).join(',')] : []),
		INVOLVEMENT_EXPORT_COLUMNS.join(','),
		...rows.map((row) => INVOLVEMENT_EXPORT_COLUMNS.map((column) => csvField(row[column])).join(','))
	];
	return `${lines.join('\r\n')}\r\n`;
}
