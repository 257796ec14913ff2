/**
 * What a command or a check answers: a value, or a refusal with a **code** (never a sentence). Pages, API routes and
 * the command line turn codes into words where they are shown (outcome-words.ts), so they can be translated and
 * tested by code.
 */
export type Outcome<T, C extends string = string> = { ok: true; value: T } | Refusal<C>;

/** An expected "no": the code says why; params carry what the words need (a name, a number of minutes). */
export type Refusal<C extends string = string> = { ok: false; code: C; params?: OutcomeParams };

export type OutcomeParams = Record<string, string | number>;

export function done<T>(value: T): { ok: true; value: T } {
	return { ok: true, value };
}

export function refused<C extends string>(code: C, params?: OutcomeParams): Refusal<C> {
	return params ? { ok: false, code, params } : { ok: false, code };
}
