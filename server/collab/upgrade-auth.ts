import type { IncomingMessage } from 'node:http';
import { getPlanAccess, type PlanAccess } from '../../db/plans.ts';
import { SESSION_COOKIE, validateSessionToken, type SessionUser } from '../../db/session.ts';
import type { Database } from '../../db/types.ts';
import { standingOfSession } from '../../src/lib/shared/sign-in-policy.ts';
import { isUuid } from '../../src/lib/shared/validation.ts';
import { sessionLimitsOf, type SignInRules } from '../config.ts';

/** Who is on the other end of a collaboration socket, settled before the upgrade. */
export interface ConnectionIdentity {
	user: SessionUser;
	/** The session's id (hash), so that signing out closes exactly its sockets. */
	sessionId: string;
	planId: string;
	access: PlanAccess;
}

export type UpgradeDecision = { ok: true; identity: ConnectionIdentity } | { ok: false; status: 400 | 401 | 403 | 404; reason: string };

const PATH = /^\/collab\/([^/]+)$/;

/**
 * One answer for a plan that does not exist and a plan this person may not open, as the pages give: whether a
 * plan exists is itself something only its people may know.
 */
const NO_SUCH_PLAN = 'We could not find that plan. It may not exist, or it is not shared with you.';

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | null {
	if (!header) return null;
	for (const part of header.split(';')) {
		const separator = part.indexOf('=');
		if (separator > 0 && part.slice(0, separator).trim() === name) {
			try {
				return decodeURIComponent(part.slice(separator + 1).trim());
			} catch {
				return null;
			}
		}
	}
	return null;
}

/**
 * True when the page that opened the socket is served by this app: the ORIGIN setting when there is one,
 * otherwise the same host the request was sent to. Browsers always send Origin on WebSocket requests,
 * so a missing one is refused too (cross-site WebSocket hijacking).
 */
export function isAllowedOrigin(originHeader: string | undefined, hostHeader: string | undefined, configuredOrigin: string | undefined): boolean {
	if (!originHeader) return false;
	if (configuredOrigin) return originHeader === configuredOrigin;
	try {
		return new URL(originHeader).host === hostHeader;
	} catch {
		return false;
	}
}

/**
 * Decides whether an upgrade to /collab/<planId> may go ahead: path, Origin, session cookie (validated exactly
 * as the pages do, second factor included), then the plan and the person's access to it. Nothing of the plan is sent before this says yes.
 */
export async function authoriseUpgrade(
	db: Database,
	request: IncomingMessage,
	configuredOrigin: string | undefined,
	signIn: SignInRules
): Promise<UpgradeDecision> {
	const path = new URL(request.url ?? '/', 'http://localhost').pathname;
	const match = PATH.exec(path);
	if (!match || !isUuid(match[1])) return { ok: false, status: 404, reason: NO_SUCH_PLAN };
	const planId = match[1].toLowerCase();

	if (!isAllowedOrigin(request.headers.origin, request.headers.host, configuredOrigin)) {
		return { ok: false, status: 403, reason: 'Origin not allowed' };
	}
	const token = readCookie(request.headers.cookie, SESSION_COOKIE);
	if (!token) return { ok: false, status: 401, reason: 'Not signed in' };
	const validation = await validateSessionToken(db, token, sessionLimitsOf(signIn));
	if (!validation.session) return { ok: false, status: 401, reason: 'Not signed in' };
	const { session, user } = validation;
	// Until the second factor is done (or set up, where it must be), the session reaches no plan.
	const standing = standingOfSession(validation, signIn.secondFactorPolicy);
	if (standing !== 'complete') return { ok: false, status: 401, reason: 'Second factor needed' };

	const access = await getPlanAccess(db, user, planId);
	if (!access) return { ok: false, status: 404, reason: NO_SUCH_PLAN };
	return { ok: true, identity: { user, sessionId: session.id, planId, access } };
}
