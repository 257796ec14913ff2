// Formatters are made once: building one per call is slow on long lists (audit tables, histories).
const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const DATE_TIME = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
const MONTH = new Intl.DateTimeFormat('en-GB', { month: 'short', timeZone: 'UTC' });

/** A YYYY-MM-DD date as people read it, e.g. "31 March 2027". */
export function formatDate(isoDate: string): string {
	return DATE.format(new Date(`${isoDate}T00:00:00Z`));
}

/** A moment as people read it, e.g. "27 Nov 2026, 14:05". */
export function formatDateTime(moment: Date | string): string {
	return DATE_TIME.format(new Date(moment));
}

/** The short name of the month of a YYYY-MM-DD date, e.g. "Nov". */
export function formatMonth(isoDate: string): string {
	return MONTH.format(new Date(`${isoDate}T00:00:00Z`));
}

/** Today as YYYY-MM-DD in UTC. */
export function todayIso(now: Date = new Date()): string {
	return now.toISOString().slice(0, 10);
}

/** True when a review date has passed. */
export function isOverdue(isoDate: string, now: Date = new Date()): boolean {
	return isoDate < todayIso(now);
}

const TIME = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' });

/** The time of day of a moment, e.g. "14:05". */
export function formatTime(moment: Date | string): string {
	return TIME.format(new Date(moment));
}
