import { announceAccessChange } from '../../db/access-events.ts';
import type { User } from '../../db/schema/index.ts';
import { resetSecondFactors } from '../../db/second-factors.ts';
import { done, refused, type Outcome } from '../../src/lib/shared/outcome.ts';
import { auditAs, mayAdminister, type CommandContext } from './actor.ts';
import { findPerson, type PersonRef } from './lookup.ts';

/**
 * An administrator (or the operator at the command line) removes a person's second factors, for a lost phone or
 * passkey: their authenticator apps, passkeys and recovery codes go, every session of theirs ends (with its live
 * plan connections), and at their next sign-in they must set up a new factor before anything else.
 */
export async function resetPersonSecondFactors(
	context: CommandContext,
	person: PersonRef
): Promise<Outcome<{ account: User; factorsRemoved: number }, 'not-allowed' | 'account-not-found'>> {
	if (!mayAdminister(context.actor)) return refused('not-allowed');
	const found = await findPerson(context.db, person);
	if (!found.ok) return found;
	const account = found.value;
	const { removed } = await resetSecondFactors(context.db, account.id);
	announceAccessChange({ kind: 'user_signed_out', userId: account.id });
	await auditAs(context, { action: 'second_factor.reset', targetType: 'user', targetId: account.id, detail: { factorsRemoved: removed } });
	return done({ account, factorsRemoved: removed });
}
