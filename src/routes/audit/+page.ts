import { readAuditFilters } from '$lib/shared/audit-query';
import type { PageLoad } from './$types';

// The filters and sort live in the address. Read here, in the universal load, a change of filter re-runs only this
// (in the browser); the server's measurement of the team re-runs only when the team changes.
export const load: PageLoad = ({ data, url }) => ({ ...data, filters: readAuditFilters(url.searchParams) });
