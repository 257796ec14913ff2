import { and, desc, eq, gt, max } from 'drizzle-orm';
import { findAccountByUsername } from './accounts.ts';
import { recordAuditEvent } from './audit.ts';
import { verifyAgainstDummy, verifyPassword } from './password.ts';
import { auditEvent } from './schema/index.ts';
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

/**
 * Checks a username and password, with throttling per account and per client address.
 * Counts come from the audit trail, so they hold across restarts and processes. A throttled
 * attempt checks no password and is not counted as a failure, so waiting always helps.
 */
export async function signIn(
	db: Database,
	attempt: { username: string; password: string; ip: string | null }
): Promise<SignInResult> {
	const account = await findAccountByUsername(db, attempt.username);
	const now = Date.now();
	const windowStart = new Date(now - THROTTLE_WINDOW_MS);

	const addressRetry = attempt.ip
		? await retryAfter(db, now, ADDRESS_FAILURE_LIMIT, and(eq(auditEvent.ip, attempt.ip), gt(auditEvent.at, windowStart)))
		: 0;
	let accountRetry = 0;
	if (account) {
		const [lastSuccess] = await db
			.select({ at: max(auditEvent.at) })
			.from(auditEvent)
			.where(and(eq(auditEvent.action, 'sign_in'), eq(auditEvent.actorId, account.id)));
		const since = lastSuccess?.at && lastSuccess.at > windowStart ? lastSuccess.at : windowStart;
		accountRetry = await retryAfter(
			db,
			now,
			ACCOUNT_FAILURE_LIMIT,
			and(eq(auditEvent.targetType, 'user'), eq(auditEvent.targetId, account.id), gt(auditEvent.at, since))
		);
	}
	if (accountRetry > 0 || addressRetry > 0) {
		const scope = accountRetry > 0 ? 'account' : 'address';
		await recordAuditEvent(db, {
			actorId: null,
			action: 'sign_in.throttled',
			targetType: account ? 'user' : undefined,
			targetId: account?.id,
			ip: attempt.ip,
			detail: { username: attempt.username, scope }
		});
		return { ok: false, reason: 'throttled', scope, retryAfterSeconds: Math.max(accountRetry, addressRetry) };
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
	await recordAuditEvent(db, {
		actorId: account.id,
		action: 'sign_in',
		targetType: 'user',
		targetId: account.id,
		ip: attempt.ip
	});
	const { id, username, displayName, role, discipline } = account;
	return { ok: true, user: { id, username, displayName, role, discipline } };
}

/** Seconds until the oldest of the last `limit` failures matching `scope` leaves the window; 0 if under the limit. */
async function retryAfter(
	db: Database,
	now: number,
	limit: number,
	scope: ReturnType<typeof and>
): Promise<number> {
	const failures = await db
		.select({ at: auditEvent.at })
		.from(auditEvent)
		.where(and(eq(auditEvent.action, 'sign_in.failed'), scope))
		.orderBy(desc(auditEvent.at))
		.limit(limit);
	if (failures.length < limit) return 0;
	const oldest = failures[failures.length - 1]!.at.getTime();
	return Math.max(1, Math.ceil((oldest + THROTTLE_WINDOW_MS - now) / 1000));
}
