import { and, count, desc, eq, gt, isNotNull, isNull, lt, max, or, sql } from 'drizzle-orm';
import { passkeyCredential, recoveryCode, secondFactorAttempt, session, totpCredential, user, type TotpCredential } from './schema/index.ts';
import type { Database } from './types.ts';

/** Failed codes are counted over this window, as failed passwords are (db/sign-in.ts). */
export const SECOND_FACTOR_WINDOW_MS = 15 * 60 * 1000;
/** Wrong codes within the window before that person's codes are paused. */
export const SECOND_FACTOR_FAILURE_LIMIT = 5;

/** Advisory locks are keyed by (this namespace, a hash of the person): codes checked and factors removed one at a time. */
const LOCK_NAMESPACE = 0x32_46_41; // "2FA"

function lockPerson(tx: Database, userId: string) {
	return tx.execute(sql`select pg_advisory_xact_lock(${LOCK_NAMESPACE}, hashtext(${userId}))`);
}

/** How many authenticator-app keys are stored (sealed with ENCRYPTION_KEY): start-up refuses to go on without the key then. */
export async function countSealedAuthenticatorKeys(db: Database): Promise<number> {
	const [row] = await db.select({ total: count() }).from(totpCredential);
	return row?.total ?? 0;
}

// —— Throttling ——

export type CodeGate = { open: true; attemptId: number } | { open: false; retryAfterSeconds: number };

/**
 * Lets one code check through unless the person has had too many wrong ones lately. As for passwords, the check is
 * counted as a failure before it is made (under a lock per person), so parallel guesses cannot slip past the limit;
 * `codeAccepted` then marks it as a success.
 */
export async function openCodeGate(db: Database, userId: string, now = Date.now()): Promise<CodeGate> {
	return db.transaction(async (tx) => {
		await lockPerson(tx as unknown as Database, userId);
		const windowStart = new Date(now - SECOND_FACTOR_WINDOW_MS);
		await tx.delete(secondFactorAttempt).where(and(eq(secondFactorAttempt.userId, userId), lt(secondFactorAttempt.at, windowStart)));
		const [lastSuccess] = await tx
			.select({ at: max(secondFactorAttempt.at) })
			.from(secondFactorAttempt)
			.where(and(eq(secondFactorAttempt.userId, userId), eq(secondFactorAttempt.succeeded, true)));
		const since = lastSuccess?.at && lastSuccess.at > windowStart ? lastSuccess.at : windowStart;
		const failures = await tx
			.select({ at: secondFactorAttempt.at })
			.from(secondFactorAttempt)
			.where(and(eq(secondFactorAttempt.userId, userId), eq(secondFactorAttempt.succeeded, false), gt(secondFactorAttempt.at, since)))
			.orderBy(desc(secondFactorAttempt.at))
			.limit(SECOND_FACTOR_FAILURE_LIMIT);
		if (failures.length >= SECOND_FACTOR_FAILURE_LIMIT) {
			const oldest = failures[failures.length - 1]!.at.getTime();
			return { open: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + SECOND_FACTOR_WINDOW_MS - now) / 1000)) };
		}
		const [attempt] = await tx
			.insert(secondFactorAttempt)
			.values({ userId, at: new Date(now) })
			.returning({ id: secondFactorAttempt.id });
		return { open: true, attemptId: attempt!.id };
	});
}

/** The code let through by the gate was right: it no longer counts as a failure, and the count starts again. */
export async function codeAccepted(db: Database, attemptId: number): Promise<void> {
	await db.update(secondFactorAttempt).set({ succeeded: true }).where(eq(secondFactorAttempt.id, attemptId));
}

// —— Authenticator apps ——

/** Starts setting up an authenticator app: an unconfirmed key, replacing any earlier unfinished one. */
export async function startAuthenticator(db: Database, userId: string, sealedKey: Uint8Array): Promise<TotpCredential> {
	return db.transaction(async (tx) => {
		await tx.delete(totpCredential).where(and(eq(totpCredential.userId, userId), isNull(totpCredential.confirmedAt)));
		const [row] = await tx.insert(totpCredential).values({ userId, sealedKey }).returning();
		return row!;
	});
}

/** The authenticator app being set up (not yet confirmed with a first code), if any. */
export async function findUnconfirmedAuthenticator(db: Database, userId: string): Promise<TotpCredential | null> {
	const [row] = await db
		.select()
		.from(totpCredential)
		.where(and(eq(totpCredential.userId, userId), isNull(totpCredential.confirmedAt)))
		.orderBy(desc(totpCredential.createdAt))
		.limit(1);
	return row ?? null;
}

/** The person's confirmed authenticator apps. */
export async function listAuthenticators(db: Database, userId: string): Promise<TotpCredential[]> {
	return db
		.select()
		.from(totpCredential)
		.where(and(eq(totpCredential.userId, userId), isNotNull(totpCredential.confirmedAt)));
}

/**
 * Spends a time step of an authenticator app: true when it is later than the last one used (and the app is then
 * confirmed, if this was its first code). One statement, so of two requests with the same code only one succeeds.
 */
export async function spendAuthenticatorStep(db: Database, credentialId: string, step: number): Promise<boolean> {
	const now = new Date();
	const spent = await db
		.update(totpCredential)
		.set({ lastUsedStep: step, lastUsedAt: now, confirmedAt: sql`coalesce(${totpCredential.confirmedAt}, now())` })
		.where(and(eq(totpCredential.id, credentialId), or(isNull(totpCredential.lastUsedStep), lt(totpCredential.lastUsedStep, step))))
		.returning({ id: totpCredential.id });
	return spent.length === 1;
}

// —— Recovery codes ——

/** Replaces the person's recovery codes (hashes) with a new set. */
export async function replaceRecoveryCodes(db: Database, userId: string, codeHashes: string[]): Promise<void> {
	await db.transaction(async (tx) => {
		await tx.delete(recoveryCode).where(eq(recoveryCode.userId, userId));
		if (codeHashes.length) await tx.insert(recoveryCode).values(codeHashes.map((codeHash) => ({ userId, codeHash })));
	});
}

/** Uses one recovery code: true if it was the person's and not used before (one statement: it works once). */
export async function spendRecoveryCode(db: Database, userId: string, codeHash: string): Promise<boolean> {
	const spent = await db
		.update(recoveryCode)
		.set({ usedAt: new Date() })
		.where(and(eq(recoveryCode.userId, userId), eq(recoveryCode.codeHash, codeHash), isNull(recoveryCode.usedAt)))
		.returning({ id: recoveryCode.id });
	return spent.length === 1;
}

/** How many of the person's recovery codes are left. */
export async function countUnusedRecoveryCodes(db: Database, userId: string): Promise<number> {
	const [row] = await db
		.select({ total: count() })
		.from(recoveryCode)
		.where(and(eq(recoveryCode.userId, userId), isNull(recoveryCode.usedAt)));
	return row?.total ?? 0;
}

// —— All factors ——

export type SecondFactorKind = 'authenticator' | 'passkey';

/** A second factor as the account page lists it. */
export interface SecondFactorSummary {
	kind: SecondFactorKind;
	id: string;
	/** The passkey's name; null for an authenticator app. */
	name: string | null;
	createdAt: Date;
	lastUsedAt: Date | null;
}

/** The person's second factors (confirmed authenticator apps and passkeys), oldest first. */
export async function listSecondFactors(db: Database, userId: string): Promise<SecondFactorSummary[]> {
	const [apps, passkeys] = await Promise.all([
		listAuthenticators(db, userId),
		db
			.select({ id: passkeyCredential.id, name: passkeyCredential.name, createdAt: passkeyCredential.createdAt, lastUsedAt: passkeyCredential.lastUsedAt })
			.from(passkeyCredential)
			.where(eq(passkeyCredential.userId, userId))
	]);
	return [
		...apps.map((app) => ({ kind: 'authenticator' as const, id: app.id, name: null, createdAt: app.createdAt, lastUsedAt: app.lastUsedAt })),
		...passkeys.map((passkey) => ({ kind: 'passkey' as const, ...passkey }))
	].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

async function countFactors(tx: Database, userId: string): Promise<number> {
	const [apps] = await tx
		.select({ total: count() })
		.from(totpCredential)
		.where(and(eq(totpCredential.userId, userId), isNotNull(totpCredential.confirmedAt)));
	const [passkeys] = await tx.select({ total: count() }).from(passkeyCredential).where(eq(passkeyCredential.userId, userId));
	return (apps?.total ?? 0) + (passkeys?.total ?? 0);
}

export type RemovalResult = 'removed' | 'not-found' | 'last-one';

/**
 * Removes one of the person's factors. With `keepOne` (staff must have one) the last is refused; two removals at
 * once cannot both pass that check (a lock per person). When none is left, the recovery codes go too: they recover
 * a factor, and there is none.
 */
export async function removeSecondFactor(
	db: Database,
	userId: string,
	factor: { kind: SecondFactorKind; id: string },
	keepOne: boolean
): Promise<RemovalResult> {
	return db.transaction(async (tx) => {
		const store = tx as unknown as Database;
		await lockPerson(store, userId);
		const table = factor.kind === 'authenticator' ? totpCredential : passkeyCredential;
		const [found] = await tx
			.select({ id: table.id })
			.from(table)
			.where(and(eq(table.id, factor.id), eq(table.userId, userId)));
		if (!found || (factor.kind === 'authenticator' && !(await isConfirmed(store, factor.id)))) return 'not-found';
		const total = await countFactors(store, userId);
		if (keepOne && total <= 1) return 'last-one';
		await tx.delete(table).where(eq(table.id, factor.id));
		if (total <= 1) await tx.delete(recoveryCode).where(eq(recoveryCode.userId, userId));
		return 'removed';
	});
}

async function isConfirmed(db: Database, credentialId: string): Promise<boolean> {
	const [row] = await db.select({ confirmedAt: totpCredential.confirmedAt }).from(totpCredential).where(eq(totpCredential.id, credentialId));
	return !!row?.confirmedAt;
}

/** A new factor was set up after an administrator's reset: the person is no longer asked to set one up. */
export async function clearSecondFactorReset(db: Database, userId: string): Promise<void> {
	await db
		.update(user)
		.set({ secondFactorResetAt: null })
		.where(and(eq(user.id, userId), isNotNull(user.secondFactorResetAt)));
}

/**
 * An administrator's reset: every factor and recovery code of the person goes, they must set up a new one at their
 * next sign-in, and every session of theirs ends (the caller tells the live connections).
 */
export async function resetSecondFactors(db: Database, userId: string): Promise<{ removed: number }> {
	return db.transaction(async (tx) => {
		const store = tx as unknown as Database;
		await lockPerson(store, userId);
		const removed = await countFactors(store, userId);
		await tx.delete(totpCredential).where(eq(totpCredential.userId, userId));
		await tx.delete(passkeyCredential).where(eq(passkeyCredential.userId, userId));
		await tx.delete(recoveryCode).where(eq(recoveryCode.userId, userId));
		await tx.delete(secondFactorAttempt).where(eq(secondFactorAttempt.userId, userId));
		await tx.update(user).set({ secondFactorResetAt: new Date() }).where(eq(user.id, userId));
		await tx.delete(session).where(eq(session.userId, userId));
		return { removed };
	});
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
