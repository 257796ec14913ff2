/** True when a database error is a unique-constraint violation (SQLSTATE 23505). */
export function isUniqueViolation(error: unknown): boolean {
	for (let current: unknown = error; current; current = (current as { cause?: unknown }).cause) {
		if ((current as { code?: unknown }).code === '23505') return true;
	}
	return false;
}

/** Quoted parts of a message: database and parser messages quote the values they choke on. */
const QUOTED = /"[^"]*"|'[^']*'|“[^”]*”|‘[^’]*’|`[^`]*`/g;

/**
 * A description of an error that is safe to log: no plan content, no query parameters, no quoted values.
 * Database errors are named by their SQLSTATE code and routine (a failed query's parameters and the server's
 * detail can hold what people wrote); other errors by name and message with quoted parts removed, plus the stack.
 */
export function describeErrorSafely(error: unknown): string {
	const parts: string[] = [];
	let stack = '';
	for (let current: unknown = error, depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
		if (typeof current !== 'object') {
			parts.push(typeof current === 'string' ? current.replace(QUOTED, '"…"') : typeof current);
			break;
		}
		const { code, routine, name, message } = current as { code?: unknown; routine?: unknown; name?: unknown; message?: unknown };
		if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
			parts.push(`database error ${code}${typeof routine === 'string' ? ` (${routine})` : ''}`);
		} else if ('params' in current && 'query' in current) {
			parts.push('a database query failed');
		} else {
			parts.push(`${typeof name === 'string' ? name : 'Error'}: ${typeof message === 'string' ? message.replace(QUOTED, '"…"') : ''}`);
		}
		if (!stack && current instanceof Error && current.stack) {
			stack = current.stack
				.split('\n')
				.filter((line) => line.trimStart().startsWith('at '))
				.join('\n');
		}
		current = (current as { cause?: unknown }).cause;
	}
	return parts.join(' ← ') + (stack ? `\n${stack}` : '');
}

/**
 * Logs an unexpected error once, with an id a person can quote, and nothing they wrote (see describeErrorSafely).
 * @returns the error id.
 */
export function logError(what: string, error: unknown, errorId: string = crypto.randomUUID()): string {
	console.error(`[chorus] error ${errorId}: ${what}${error === null || error === undefined ? '' : `: ${describeErrorSafely(error)}`}`);
	return errorId;
}
