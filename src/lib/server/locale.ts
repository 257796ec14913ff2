import { AsyncLocalStorage } from 'node:async_hooks';
import type { Cookies, RequestEvent } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { isTimeZone, setTimeZoneSource, TIME_ZONE_COOKIE } from '$lib/shared/dates';
import { baseLocale, chooseLocale, isLocale, LOCALE_COOKIE, type Locale } from '$lib/shared/locale';

/** The installation's language when neither the person nor their browser asks for one of ours (DEFAULT_LOCALE). */
export function installationLocale(): Locale {
	const configured = env.DEFAULT_LOCALE?.trim();
	return isLocale(configured) ? configured : baseLocale;
}

/** The language of this request: saved preference → this device's choice → Accept-Language → DEFAULT_LOCALE. */
export function requestLocale(event: Pick<RequestEvent, 'locals' | 'cookies' | 'request'>): Locale {
	return chooseLocale({
		saved: event.locals.user?.locale,
		cookie: event.cookies.get(LOCALE_COOKIE),
		acceptLanguage: event.request.headers.get('accept-language'),
		fallback: installationLocale()
	});
}

const MACHINE_TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** The time zone of this request: the browser's (from its cookie) once the page has told us, else this machine's. */
export function requestTimeZone(cookies: Pick<Cookies, 'get'>): string {
	const sent = cookies.get(TIME_ZONE_COOKIE);
	return isTimeZone(sent) ? sent : MACHINE_TIME_ZONE;
}

/** Keeps this device's language choice (the sign-in page's switch, and a copy of the saved preference). */
export function setLocaleCookie(event: Pick<RequestEvent, 'cookies' | 'url'>, locale: Locale): void {
	event.cookies.set(LOCALE_COOKIE, locale, { path: '/', httpOnly: true, sameSite: 'lax', secure: event.url.protocol === 'https:', maxAge: 60 * 60 * 24 * 400 });
}

// Each request formats times in its own person's zone, however requests interleave (the language is kept the same
// way by Paraglide's middleware).
const requestZones = new AsyncLocalStorage<string>();
setTimeZoneSource(() => requestZones.getStore());

export function withTimeZone<T>(timeZone: string, run: () => T): T {
	return requestZones.run(timeZone, run);
}
