/** A YYYY-MM-DD date as people read it, e.g. "31 March 2027". */
export function formatDate(isoDate: string): string {
	const date = new Date(`${isoDate}T00:00:00Z`);
	return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/** A moment as people read it, e.g. "27 Nov 2026, 14:05". */
export function formatDateTime(moment: Date | string): string {
	return new Date(moment).toLocaleString('en-GB', {
		day: 'numeric',
		month: 'short',
		year: 'numeric',
		hour: '2-digit',
		minute: '2-digit'
	});
}

/** Today as YYYY-MM-DD in UTC. */
export function todayIso(now: Date = new Date()): string {
	return now.toISOString().slice(0, 10);
}

/** True when a review date has passed. */
export function isOverdue(isoDate: string, now: Date = new Date()): boolean {
	return isoDate < todayIso(now);
}
