import { getLocale } from '../paraglide/runtime.js';
import { intlLocale } from './dates.ts';
import type { Locale } from './locale.ts';

// Counted words live in the message files (a message with a `plural` selector, see messages/GLOSSARY.md); these are
// for a number on its own, e.g. a big figure above its label, in the reader's conventions ("1,204" / "1.204").
const formatters = new Map<string, Intl.NumberFormat>();

export function formatNumber(value: number, locale: Locale = getLocale(), options: Intl.NumberFormatOptions = {}): string {
	const key = `${locale}|${JSON.stringify(options)}`;
	let made = formatters.get(key);
	if (!made) {
		made = new Intl.NumberFormat(intlLocale(locale), options);
		formatters.set(key, made);
	}
	return made.format(value);
}

/** A share of 0 to 1 as a percentage, e.g. "42%" / "42 %". */
export function formatPercent(share: number, locale: Locale = getLocale()): string {
	return formatNumber(share, locale, { style: 'percent', maximumFractionDigits: 0 });
}
