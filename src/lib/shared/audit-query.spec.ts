import { describe, expect, it } from 'vitest';
import { auditHref, DEFAULT_AUDIT_FILTERS, readAuditFilters } from './audit-query.ts';

const read = (query: string) => readAuditFilters(new URLSearchParams(query));

describe('audit filters in the address', () => {
	it('reads every filter and the sort', () => {
		expect(read('attention=1&flag=not_agreed&q=%20Sam%20&sort=name&order=desc')).toEqual({
			attention: true,
			flag: 'not_agreed',
			search: 'Sam',
			sort: 'name',
			descending: true
		});
	});

	it('falls back to the defaults for anything it does not understand', () => {
		expect(read('')).toEqual(DEFAULT_AUDIT_FILTERS);
		expect(read('attention=yes&flag=__proto__&sort=password&order=sideways&q=' + 'x'.repeat(101))).toEqual(DEFAULT_AUDIT_FILTERS);
		expect(read('flag=toString').flag).toBeNull();
	});

	it('sorts names A to Z and figures from the most, unless the address says otherwise', () => {
		expect(read('sort=name').descending).toBe(false);
		expect(read('sort=share').descending).toBe(true);
		expect(read('sort=share&order=asc').descending).toBe(false);
	});

	it('writes an address that reads back the same, leaving defaults out', () => {
		expect(auditHref(null, DEFAULT_AUDIT_FILTERS)).toBe('/audit');
		expect(auditHref('team-1', { ...DEFAULT_AUDIT_FILTERS, sort: 'name', descending: false })).toBe('/audit?team=team-1&sort=name');
		const filters = { attention: true, flag: 'review_overdue' as const, search: 'Jordan Lee', sort: 'lastEdit' as const, descending: false };
		const href = auditHref('team-1', filters);
		expect(readAuditFilters(new URL(href, 'http://chorus.test').searchParams)).toEqual(filters);
	});
});
