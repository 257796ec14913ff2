import { baseLocale, locales, type Locale } from '../paraglide/runtime.js';

export type { Locale };
export { baseLocale };

/** The languages Chorus speaks: one message file each in messages/ (project.inlang/settings.json lists them). */
export const LOCALES: readonly Locale[] = locales;

/** Each language named in itself, so a person finds theirs whatever the page is in. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', de: 'Deutsch' };

/** The cookie that keeps the language chosen on this device before signing in (and the saved one after). */
export const LOCALE_COOKIE = 'chorus_locale';

export function isLocale(value: unknown): value is Locale {
	return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

/**
 * The best of our languages for an Accept-Language header ("de-CH,de;q=0.9,en;q=0.5"), or undefined when the
 * person's browser asks for none of them: most wanted first, a regional tag (de-AT) matching its language.
 */
export function localeFromAcceptLanguage(header: string | null | undefined): Locale | undefined {
	if (!header) return undefined;
	const wanted = header
		.split(',')
		.map((part, index) => {
			const [tag = '', ...params] = part.trim().split(';');
			const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
			const weight = q === undefined ? 1 : Number(q.slice(2));
			return { tag: tag.trim().toLowerCase(), weight: Number.isFinite(weight) ? weight : 0, index };
		})
		.filter((entry) => entry.tag !== '' && entry.weight > 0)
		.sort((a, b) => b.weight - a.weight || a.index - b.index);
	for (const { tag } of wanted) {
		const language = tag.split('-')[0];
		if (isLocale(language)) return language;
	}
	return undefined;
}

export interface LocaleSources {
	/** What the person saved on their account page (or on the sign-in page), when signed in. */
	saved: string | null | undefined;
	/** What was chosen on this device before signing in. */
	cookie: string | null | undefined;
	acceptLanguage: string | null | undefined;
	/** The installation's DEFAULT_LOCALE. */
	fallback: Locale;
}

/** The language of a page: saved preference → this device's choice → the browser's languages → the installation's. */
export function chooseLocale(sources: LocaleSources): Locale {
	if (isLocale(sources.saved)) return sources.saved;
	if (isLocale(sources.cookie)) return sources.cookie;
	return localeFromAcceptLanguage(sources.acceptLanguage) ?? sources.fallback;
}

/**
 * A table of labels whose words are looked up each time one is read, so a label is always in the language of
 * the page being rendered (on the server, the request's; in the browser, the page's), never the language of
 * whoever loaded the module first.
 */
export function translated<K extends string>(words: Record<K, () => string>): Readonly<Record<K, string>> {
	const table = {} as Record<K, string>;
	for (const key of Object.keys(words) as K[]) Object.defineProperty(table, key, { get: words[key], enumerable: true });
	return table;
}
