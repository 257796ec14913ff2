import { FLAG_LABELS, type InvolvementFlag } from './involvement.ts';

/** The columns the involvement audit can be sorted by. */
export const AUDIT_SORT_KEYS = ['flags', 'name', 'share', 'ownWords', 'together', 'solo', 'lastEdit'] as const;
export type AuditSortKey = (typeof AUDIT_SORT_KEYS)[number];

/** How the audit's plans are filtered and sorted: kept in the page's address, so a view can be shared and the back button returns to the one before. */
export interface AuditFilters {
	/** Only plans with at least one flag. */
	attention: boolean;
	flag: InvolvementFlag | null;
	/** Part of a person's name or a plan's title. */
	search: string;
	sort: AuditSortKey;
	descending: boolean;
}

export const SEARCH_MAX_LENGTH = 100;

/** Names sort A to Z first; every figure sorts from the most to the least (the plans that need attention first). */
export const defaultDescending = (sort: AuditSortKey): boolean => sort !== 'name';

export const DEFAULT_AUDIT_FILTERS: AuditFilters = { attention: false, flag: null, search: '', sort: 'flags', descending: true };

const isSortKey = (value: string | null): value is AuditSortKey => (AUDIT_SORT_KEYS as readonly string[]).includes(value ?? '');
const isFlag = (value: string | null): value is InvolvementFlag => value !== null && Object.hasOwn(FLAG_LABELS, value);

/**
 * The filters in an address (`?attention=1&flag=not_agreed&q=sam&sort=name&order=desc`). Anything not understood
 * (an unknown flag or column, a search too long) falls back to the default: an old or mistyped link still opens the audit.
 */
export function readAuditFilters(params: URLSearchParams): AuditFilters {
	const sortParam = params.get('sort');
	const sort = isSortKey(sortParam) ? sortParam : DEFAULT_AUDIT_FILTERS.sort;
	const order = params.get('order');
	const flag = params.get('flag');
	const search = (params.get('q') ?? '').trim();
	return {
		attention: params.get('attention') === '1',
		flag: isFlag(flag) ? flag : null,
		search: search.length <= SEARCH_MAX_LENGTH ? search : '',
		sort,
		descending: order === 'asc' ? false : order === 'desc' ? true : defaultDescending(sort)
	};
}

/** The address of the audit for a team with these filters; defaults are left out, so the plain audit stays `/audit`. */
export function auditHref(team: string | null, filters: AuditFilters): string {
	const params = new URLSearchParams();
	if (team) params.set('team', team);
	if (filters.attention) params.set('attention', '1');
	if (filters.flag) params.set('flag', filters.flag);
	if (filters.search.trim()) params.set('q', filters.search.trim());
	if (filters.sort !== DEFAULT_AUDIT_FILTERS.sort) params.set('sort', filters.sort);
	if (filters.descending !== defaultDescending(filters.sort)) params.set('order', filters.descending ? 'desc' : 'asc');
	const query = params.toString();
	return query ? `/audit?${query}` : '/audit';
}
