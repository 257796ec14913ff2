import { and, desc, eq, gt, lt, max, sql, type SQL } from 'drizzle-orm';
import { findAccountByUsername } from './accounts.ts';
import { recordAuditEvent } from './audit.ts';
import { verifyAgainstDummy, verifyPassword } from './password.ts';
import { signInAttempt } from './schema/index.ts';
import type { SessionUser } from './session.ts';
import type { Database } from './types.ts';

/** Failed attempts are counted over this window. */
export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
/** Failures on one account within the window before it is paused. */
export const ACCOUNT_FAILURE_LIMIT = 5;
/** Failures from one address within the window (any account) before that address is paused. */
export const ADDRESS_FAILURE_LIMIT = 20;

export type SignInResult =
	| { ok: true; user: SessionUser }
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'throttled'; scope: 'account' | 'address'; retryAfterSeconds: number };

/** Advisory locks are keyed by (this namespace, a hash of the account or address). */
const LOCK_NAMESPACE = 0x53_49_4e; // "SIN"

/**
 * Checks a username and password, with throttling per account and per client address.
 *
 * The check and the count are one step: under a transaction-scoped advisory lock per address and per account,
 * the failures in the window are counted and, if under the limits, this attempt is recorded as a failure
 * *before* its password is verified; a correct password then marks it as succeeded. So however many attempts
 * arrive at once, from one process or several, no more than the limit have their password checked. The lock is
 * released before the (slow) password check, which must not hold a transaction open.
 * A throttled attempt checks no password and is not counted as a failure, so waiting always helps.
 */
export async function signIn(db: Database, attempt: { username: string; password: string; ip: string | null }): Promise<SignInResult> {
	const account = await findAccountByUsername(db, attempt.username);
	const gate = await db.transaction(async (tx) => {
		const now = Date.now();
		const windowStart = new Date(now - THROTTLE_WINDOW_MS);
		// Always the address first, then the account: every attempt takes the locks in the same order.
		if (attempt.ip) await tx.execute(sql`select pg_advisory_xact_lock(${LOCK_NAMESPACE}, hashtext(${`address:${attempt.ip}`}))`);
		if (account) await tx.execute(sql`select pg_advisory_xact_lock(${LOCK_NAMESPACE}, hashtext(${`account:${account.id}`}))`);
		await tx.delete(signInAttempt).where(lt(signInAttempt.at, windowStart));

		const addressRetry = attempt.ip
			? await retryAfter(tx as unknown as Database, now, ADDRESS_FAILURE_LIMIT, eq(signInAttempt.ip, attempt.ip), windowStart)
			: 0;
		let accountRetry = 0;
		if (account) {
			const [lastSuccess] = await tx
				.select({ at: max(signInAttempt.at) })
				.from(signInAttempt)
				.where(and(eq(signInAttempt.userId, account.id), eq(signInAttempt.succeeded, true)));
			const since = lastSuccess?.at && lastSuccess.at > windowStart ? lastSuccess.at : windowStart;
			accountRetry = await retryAfter(tx as unknown as Database, now, ACCOUNT_FAILURE_LIMIT, eq(signInAttempt.userId, account.id), since);
		}
		if (accountRetry > 0 || addressRetry > 0) {
			return {
				throttled: true as const,
				scope: accountRetry > 0 ? ('account' as const) : ('address' as const),
				retryAfterSeconds: Math.max(accountRetry, addressRetry)
			};
		}
		const [recorded] = await tx
			.insert(signInAttempt)
			.values({ at: new Date(now), userId: account?.id ?? null, ip: attempt.ip })
			.returning({ id: signInAttempt.id });
		return { throttled: false as const, attemptId: recorded!.id };
	});

	if (gate.throttled) {
		await recordAuditEvent(db, {
			actorId: null,
			action: 'sign_in.throttled',
			targetType: account ? 'user' : undefined,
			targetId: account?.id,
			ip: attempt.ip,
			detail: { username: attempt.username, scope: gate.scope }
		});
		return { ok: false, reason: 'throttled', scope: gate.scope, retryAfterSeconds: gate.retryAfterSeconds };
	}

	const valid =
		account?.passwordHash && account.disabledAt === null
			? await verifyPassword(account.passwordHash, attempt.password)
			: await verifyAgainstDummy(attempt.password);
	if (!valid || !account) {
		await recordAuditEvent(db, {
			actorId: null,
			action: 'sign_in.failed',
			targetType: account ? 'user' : undefined,
			targetId: account?.id,
			ip: attempt.ip,
			detail: { username: attempt.username }
		});
		return { ok: false, reason: 'invalid' };
	}
	await db.update(signInAttempt).set({ succeeded: true }).where(eq(signInAttempt.id, gate.attemptId));
	await recordAuditEvent(db, {
		actorId: account.id,
		action: 'sign_in',
		targetType: 'user',
		targetId: account.id,
		ip: attempt.ip
	});
	const { id, username, displayName, role, discipline, locale } = account;
	return { ok: true, user: { id, username, displayName, role, discipline, locale } };
}

/**
 * Seconds until the oldest of the last `limit` failures matching `scope` since `since` leaves the window;
 * 0 if under the limit. Attempts still being checked count as failures.
 */
async function retryAfter(db: Database, now: number, limit: number, scope: SQL, since: Date): Promise<number> {
	const failures = await db
		.select({ at: signInAttempt.at })
		.from(signInAttempt)
		.where(and(scope, eq(signInAttempt.succeeded, false), gt(signInAttempt.at, since)))
		.orderBy(desc(signInAttempt.at))
		.limit(limit);
	if (failures.length < limit) return 0;
	const oldest = failures[failures.length - 1]!.at.getTime();
	return Math.max(1, Math.ceil((oldest + THROTTLE_WINDOW_MS - now) / 1000));
}
