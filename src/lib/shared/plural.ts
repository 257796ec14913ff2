// One place for counted words, so no page says "1 plans" (and issue 13 can move these words to message files).
const RULES = new Intl.PluralRules('en-GB');
const NUMBER = new Intl.NumberFormat('en-GB');

/** A count with the word that fits it: "1 plan", "3 plans", "1,204 characters", "1 person", "2 people". */
export function plural(count: number, one: string, other: string = `${one}s`): string {
	return `${NUMBER.format(count)} ${pluralWord(count, one, other)}`;
}

/** Only the word that fits a count shown on its own (e.g. a big number above it): "plan" for 1, "plans" otherwise. */
export function pluralWord(count: number, one: string, other: string = `${one}s`): string {
	return RULES.select(count) === 'one' ? one : other;
}
