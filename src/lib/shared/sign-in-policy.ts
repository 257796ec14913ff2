import type { Role } from './roles.ts';

/** Who must sign in with a second factor (REQUIRE_MFA_FOR): staff (the default), everyone, or nobody. */
export const SECOND_FACTOR_POLICIES = ['staff', 'all', 'none'] as const;
export type SecondFactorPolicy = (typeof SECOND_FACTOR_POLICIES)[number];

/** Staff reach other people's health records: professionals, supervisors and administrators. */
export const STAFF_ROLES: readonly Role[] = ['professional', 'supervisor', 'admin'];

export function isStaff(role: Role): boolean {
	return STAFF_ROLES.includes(role);
}

export function isSecondFactorPolicy(value: unknown): value is SecondFactorPolicy {
	return typeof value === 'string' && (SECOND_FACTOR_POLICIES as readonly string[]).includes(value);
}

/** Whether someone of this role must have a second factor under the policy (service users may always add one). */
export function secondFactorRequired(role: Role, policy: SecondFactorPolicy): boolean {
	return policy === 'all' || (policy === 'staff' && isStaff(role));
}

/** Sensitive actions (password, factors, exports, restore, administration) ask again after this long. */
export const CONFIRMATION_FRESH_MS = 15 * 60 * 1000;

/** A staff session ends after this many minutes without activity unless STAFF_IDLE_MINUTES says otherwise. */
export const DEFAULT_STAFF_IDLE_MINUTES = 30;

/**
 * Where a session stands: `complete` (may use Chorus), `verify` (password given; the person has a factor and must
 * use it), `enrol` (password given; they must set up a factor first: the policy says so, or an administrator reset
 * theirs).
 */
export type SessionStanding = 'complete' | 'verify' | 'enrol';

export function sessionStanding(
	person: { role: Role; secondFactorResetAt: Date | null },
	session: { secondFactorAt: Date | null },
	factorCount: number,
	policy: SecondFactorPolicy
): SessionStanding {
	if (factorCount > 0) return session.secondFactorAt ? 'complete' : 'verify';
	if (person.secondFactorResetAt || secondFactorRequired(person.role, policy)) return 'enrol';
	return 'complete';
}

/** Where a validated session stands (db/session.ts validateSessionToken's answer): the pages and the plan socket both ask this. */
export function standingOfSession(
	validated: { user: { role: Role }; session: { secondFactorAt: Date | null }; factorCount: number; secondFactorResetAt: Date | null },
	policy: SecondFactorPolicy
): SessionStanding {
	const { user, session, factorCount, secondFactorResetAt } = validated;
	return sessionStanding({ role: user.role, secondFactorResetAt }, session, factorCount, policy);
}
