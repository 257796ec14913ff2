import { PLAN_SECTIONS } from './plan-sections.ts';
import type { Outcome } from './outcome.ts';
import { isUuid } from './validation.ts';

/** What is wrong with a history query; the params name the field and its limits. */
export type HistoryQueryCode = 'query-whole-number' | 'query-limit' | 'query-person' | 'query-section';
type Checked<T> = Outcome<T, HistoryQueryCode>;

export const HISTORY_PAGE_SIZE = 20;
export const HISTORY_PAGE_MAX = 100;

/** The sections a history can be filtered by: the eight sections and the goals. */
export const HISTORY_SECTION_IDS: readonly string[] = [...PLAN_SECTIONS.map((section) => section.id), 'goals'];

/** A version number in a query: a whole number from 0 up. */
export function checkSeq(raw: string | null, name: string): Checked<number | undefined> {
	if (raw === null || raw === '') return { ok: true, value: undefined };
	if (!/^\d{1,15}$/.test(raw)) return { ok: false, code: 'query-whole-number', params: { name } };
	return { ok: true, value: Number(raw) };
}

export interface HistoryQuery {
	before?: number;
	limit: number;
	person?: string;
	section?: string;
}

/** Reads ?before=&limit=&person=&section= of a history page or API call. */
export function checkHistoryQuery(params: URLSearchParams): Checked<HistoryQuery> {
	const before = checkSeq(params.get('before'), 'before');
	if (!before.ok) return before;
	const limitText = params.get('limit');
	let limit = HISTORY_PAGE_SIZE;
	if (limitText !== null && limitText !== '') {
		if (!/^\d{1,4}$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > HISTORY_PAGE_MAX) {
			return { ok: false, code: 'query-limit', params: { max: HISTORY_PAGE_MAX } };
		}
		limit = Number(limitText);
	}
	const person = params.get('person') || undefined;
	if (person !== undefined && !isUuid(person)) return { ok: false, code: 'query-person' };
	const section = params.get('section') || undefined;
	if (section !== undefined && !HISTORY_SECTION_IDS.includes(section)) {
		return { ok: false, code: 'query-section', params: { sections: HISTORY_SECTION_IDS.join(', ') } };
	}
	return { ok: true, value: { before: before.value, limit, person, section } };
}
