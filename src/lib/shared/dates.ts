import { getLocale } from '../paraglide/runtime.js';
import type { Locale } from './locale.ts';

/** The conventions each language's dates and numbers follow (Chorus's English is British English). */
const INTL_LOCALE: Record<Locale, string> = { en: 'en-GB', de: 'de-DE' };

/** The language to format in: the page's, or the one asked for (a download for another reader, a test). */
export function intlLocale(locale: Locale = getLocale()): string {
	return INTL_LOCALE[locale];
}

/**
 * Where the time zone of the person looking comes from: on the server, the request's (src/hooks.server.ts); in the
 * browser, the one the page was rendered with (`<html data-time-zone>`), so hydration shows the same times.
 * Without one (the command line, unit tests) times are in this machine's zone.
 */
/** The browser's time zone, written by the page (src/routes/+layout.svelte) so the server shows times in it too. */
export const TIME_ZONE_COOKIE = 'chorus_tz';

let timeZoneSource: () => string | undefined = () => undefined;

export function setTimeZoneSource(source: () => string | undefined): void {
	timeZoneSource = source;
}

export function currentTimeZone(): string | undefined {
	return timeZoneSource();
}

const zoneChecks = new Map<string, boolean>();

/** True for a time zone this runtime knows ("Europe/Berlin"); a cookie's value is checked before it is used. */
export function isTimeZone(value: unknown): value is string {
	if (typeof value !== 'string' || value.length === 0 || value.length > 64) return false;
	let known = zoneChecks.get(value);
	if (known === undefined) {
		try {
			new Intl.DateTimeFormat('en', { timeZone: value });
			known = true;
		} catch {
			known = false;
		}
		if (zoneChecks.size < 1000) zoneChecks.set(value, known);
	}
	return known;
}

// Formatters are made once per language and zone: building one per call is slow on long lists (audit tables, histories).
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(kind: string, options: Intl.DateTimeFormatOptions, locale: Locale | undefined, zoned: boolean): Intl.DateTimeFormat {
	const language = intlLocale(locale);
	const timeZone = zoned ? currentTimeZone() : 'UTC';
	const key = `${kind}|${language}|${timeZone ?? ''}`;
	let made = formatters.get(key);
	if (!made) {
		made = new Intl.DateTimeFormat(language, { ...options, timeZone });
		formatters.set(key, made);
	}
	return made;
}

/** A YYYY-MM-DD date as people read it, e.g. "31 March 2027" / "31. März 2027" (a calendar day: no time zone). */
export function formatDate(isoDate: string, locale?: Locale): string {
	return formatter('date', { day: 'numeric', month: 'long', year: 'numeric' }, locale, false).format(new Date(`${isoDate}T00:00:00Z`));
}

/** A moment as people read it in their time zone, e.g. "27 Nov 2026, 14:05" / "27. Nov. 2026, 14:05". */
export function formatDateTime(moment: Date | string, locale?: Locale): string {
	return formatter('date-time', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }, locale, true).format(new Date(moment));
}

/** The day of a moment in the person's time zone, e.g. "3 December 2026" / "3. Dezember 2026". */
export function formatDay(moment: Date | string, locale?: Locale): string {
	return formatter('day', { day: 'numeric', month: 'long', year: 'numeric' }, locale, true).format(new Date(moment));
}

/** The short name of the month of a YYYY-MM-DD date, e.g. "Nov". */
export function formatMonth(isoDate: string, locale?: Locale): string {
	return formatter('month', { month: 'short' }, locale, false).format(new Date(`${isoDate}T00:00:00Z`));
}

/** The time of day of a moment in the person's time zone, e.g. "14:05". */
export function formatTime(moment: Date | string, locale?: Locale): string {
	return formatter('time', { hour: '2-digit', minute: '2-digit' }, locale, true).format(new Date(moment));
}

/** Today as YYYY-MM-DD in UTC. */
export function todayIso(now: Date = new Date()): string {
	return now.toISOString().slice(0, 10);
}

/** True when a review date has passed. */
export function isOverdue(isoDate: string, now: Date = new Date()): boolean {
	return isoDate < todayIso(now);
}
