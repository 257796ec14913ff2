import { claimRequest, forgetRequestsBefore, recordRequestAnswer, releaseRequest, type RequestRef } from '../../db/requests.ts';
import type { Database } from '../../db/types.ts';
import { done, type Outcome } from '../../src/lib/shared/outcome.ts';
import type { CommandContext } from './actor.ts';

/** How long a receipt is kept: a repeat within a day is a double click or a form sent again, not a new decision. */
const RECEIPT_LIFETIME_MS = 24 * 60 * 60 * 1000;

/**
 * Carries out a command that creates something at most once per submitted form. The page renders each form with a
 * fresh request key (a hidden field, src/lib/server/forms.ts); the key, the person and `scope` (what the form does,
 * and to what) are claimed in the same transaction as the command, so a repeat — even one that arrives while the
 * first is still running — is answered with the first answer and acts no more. A refusal gives the key back, so the
 * corrected form can be sent again; a page renders a new key after each success, so a deliberate second action works.
 * Without a key (the command line, an old page) the command simply runs.
 * @param keep what of the answer may be stored for the repeats: nothing secret (a sign-in link's token) is kept.
 */
export async function once<T, C extends string>(
	context: CommandContext,
	scope: string,
	command: (context: CommandContext) => Promise<Outcome<T, C>>,
	keep: (value: T) => T = (value) => value
): Promise<Outcome<T, C>> {
	const { actor, requestKey } = context;
	if (!requestKey || actor.kind !== 'person') return command(context);
	const request: RequestRef = { actorId: actor.user.id, key: requestKey, scope };
	return context.db.transaction(async (transaction) => {
		const tx = transaction as unknown as Database;
		const claim = await claimRequest(tx, request);
		if (!claim.claimed) return done(revive(claim.answer) as T);
		const outcome = await command({ ...context, db: tx, requestKey: null });
		if (outcome.ok) {
			await recordRequestAnswer(tx, request, preserve(keep(outcome.value)));
			await forgetRequestsBefore(tx, actor.user.id, new Date(Date.now() - RECEIPT_LIFETIME_MS));
		} else {
			await releaseRequest(tx, request);
		}
		return outcome;
	});
}

const DATE = '$date';

/** The answer as JSON, its dates tagged so that they come back as dates (a name that looks like one stays a name). */
function preserve(value: unknown): unknown {
	if (value === undefined) return null;
	return JSON.parse(
		JSON.stringify(value, function (this: Record<string, unknown>, key, json) {
			const raw = this[key];
			return raw instanceof Date ? { [DATE]: raw.toISOString() } : json;
		})
	);
}

function revive(json: unknown): unknown {
	if (Array.isArray(json)) return json.map(revive);
	if (json === null || typeof json !== 'object') return json;
	const entries = Object.entries(json);
	if (entries.length === 1 && entries[0]![0] === DATE && typeof entries[0]![1] === 'string') return new Date(entries[0]![1]);
	return Object.fromEntries(entries.map(([key, value]) => [key, revive(value)]));
}
