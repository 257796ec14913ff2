import type { BrowserContext } from '@playwright/test';
import { eq } from 'drizzle-orm';
import type { OpenDatabase } from '../../db/client.ts';
import { findAccountByUsername } from '../../db/accounts.ts';
import { session, type Session } from '../../db/schema/index.ts';
import { SESSION_COOKIE } from '../../db/session.ts';
import { hashToken } from '../../db/tokens.ts';
import type { Database } from '../../db/types.ts';
import { startSession } from '../../server/commands/sessions.ts';
import { readConfig } from '../../server/config.ts';
import { openConfiguredDatabase } from '../../server/startup.ts';
import { e2eDatabaseEnv } from './e2e-server-env.ts';

/** Where the sessions made here say they came from (the account page lists it). */
const ORIGIN = { ip: '127.0.0.1', userAgent: 'Chorus browser tests' };

/** A cookie as BrowserContext.addCookies takes it. */
export type SessionCookie = Parameters<BrowserContext['addCookies']>[0][number];

/**
 * Starts a session for the person with the same command the sign-in form uses (server/commands/sessions.ts),
 * and returns its cookie for the site at `url`, with the attributes the server gives it. The session is signed in
 * completely, second step included: tests about that step sign in through the pages.
 */
export async function sessionCookie(db: Database, username: string, url: string): Promise<SessionCookie> {
	const account = await findAccountByUsername(db, username);
	if (!account) throw new Error(`There is no account "${username}" to start a session for.`);
	const { token, expiresAt } = await startSession(db, account.id, { ...ORIGIN, secondFactorVerified: true });
	return { name: SESSION_COOKIE, value: token, url, httpOnly: true, sameSite: 'Lax', secure: false, expires: Math.floor(expiresAt.getTime() / 1000) };
}

/**
 * The running browser-test server's database, opened the way the command line opens it (joining the server's
 * embedded PostgreSQL), on first use only: files that never start a session never connect. One per worker,
 * closed by the worker fixture in tests/e2e/helpers.ts so the server's PostgreSQL keeps no client at exit.
 */
export class E2eServerDatabase {
	private opening: Promise<OpenDatabase> | undefined;

	db(): Promise<Database> {
		this.opening ??= openConfiguredDatabase(readConfig(e2eDatabaseEnv()), 'the browser tests', { joinRunningServer: true });
		return this.opening.then((database) => database.db);
	}

	async close(): Promise<void> {
		const opening = this.opening;
		this.opening = undefined;
		if (opening) await (await opening).close();
	}
}

/**
 * Moves a browser's session back in time, as if the person had last done something `minutesAgo` minutes ago (the
 * idle limit of staff sessions counts from then). The session is named by its cookie's value.
 */
export async function setLastActivity(db: Database, token: string, minutesAgo: number): Promise<Date> {
	const lastActiveAt = new Date(Date.now() - minutesAgo * 60_000);
	await db
		.update(session)
		.set({ lastActiveAt })
		.where(eq(session.id, hashToken(token)));
	return lastActiveAt;
}

/** The stored session of a cookie's value, or null once it has ended. */
export async function findSession(db: Database, token: string): Promise<Session | null> {
	const [row] = await db
		.select()
		.from(session)
		.where(eq(session.id, hashToken(token)));
	return row ?? null;
}
