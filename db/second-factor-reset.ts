import { count, eq, isNotNull } from 'drizzle-orm';
import { passkeyCredential, recoveryCode, session, totpCredential, user } from './schema/index.ts';
import type { Database } from './types.ts';

/** What an administrator's reset removed. */
export interface SecondFactorReset {
	authenticators: number;
	passkeys: number;
	recoveryCodes: number;
	sessions: number;
}

/** How many second factors (confirmed authenticator apps and passkeys) each person has; people with none are not in it. */
export async function countSecondFactorsByPerson(db: Database): Promise<Map<string, number>> {
	const [apps, passkeys] = await Promise.all([
		db.select({ userId: totpCredential.userId, n: count() }).from(totpCredential).where(isNotNull(totpCredential.confirmedAt)).groupBy(totpCredential.userId),
		db.select({ userId: passkeyCredential.userId, n: count() }).from(passkeyCredential).groupBy(passkeyCredential.userId)
	]);
	const counts = new Map<string, number>();
	for (const row of [...apps, ...passkeys]) counts.set(row.userId, (counts.get(row.userId) ?? 0) + row.n);
	return counts;
}

/**
 * Removes every second factor of a person (authenticator apps, passkeys, recovery codes) and ends all their sessions,
 * in one transaction, and marks the reset: until they set up a new factor, a password alone reaches only enrolment
 * (sessionStanding), whatever the policy says.
 */
export async function resetSecondFactors(db: Database, userId: string, now = new Date()): Promise<SecondFactorReset> {
	return db.transaction(async (tx) => {
		const authenticators = await tx.delete(totpCredential).where(eq(totpCredential.userId, userId)).returning({ id: totpCredential.id });
		const passkeys = await tx.delete(passkeyCredential).where(eq(passkeyCredential.userId, userId)).returning({ id: passkeyCredential.id });
		const codes = await tx.delete(recoveryCode).where(eq(recoveryCode.userId, userId)).returning({ id: recoveryCode.id });
		await tx.update(user).set({ secondFactorResetAt: now }).where(eq(user.id, userId));
		const sessions = await tx.delete(session).where(eq(session.userId, userId)).returning({ id: session.id });
		return { authenticators: authenticators.length, passkeys: passkeys.length, recoveryCodes: codes.length, sessions: sessions.length };
	});
}
