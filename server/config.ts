import { readEncryptionKey } from '../db/secret-box.ts';
import type { SessionLimits } from '../db/session.ts';
import { baseLocale, isLocale, LOCALES, type Locale } from '../src/lib/shared/locale.ts';
import {
	DEFAULT_STAFF_IDLE_MINUTES,
	isSecondFactorPolicy,
	isStaff,
	SECOND_FACTOR_POLICIES,
	type SecondFactorPolicy
} from '../src/lib/shared/sign-in-policy.ts';

/** Everything Chorus reads from the environment, in one place (documented in the README). */
export interface ServerConfig {
	port: number;
	host: string;
	/** Where the embedded database keeps its files (ignored when databaseUrl is set). */
	dataDir: string;
	databaseUrl: string | undefined;
	/** The role that owns the tables, to migrate as, when DATABASE_URL's user may only act as the app role. */
	databaseOwnerUrl: string | undefined;
	/** The unprivileged account the embedded PostgreSQL runs as when Chorus runs as root (EMBEDDED_POSTGRES_USER). */
	embeddedPostgresUser: string | undefined;
	/** The public origin, e.g. https://chorus.example.org; printed links and the socket Origin check use it. */
	origin: string | undefined;
	/** The language of pages for people who chose none and whose browser asks for none of ours (DEFAULT_LOCALE). */
	defaultLocale: Locale;
	/** How people sign in: who must have a second factor, and when idle staff sessions end. */
	signIn: SignInRules;
	/** The key that seals authenticator-app secrets (ENCRYPTION_KEY, 32 bytes in base64); undefined when not set. */
	encryptionKey: Uint8Array | undefined;
}

/** The sign-in rules the pages and the collaboration server both apply. */
export interface SignInRules {
	/** REQUIRE_MFA_FOR: staff (the default), all or none. */
	secondFactorPolicy: SecondFactorPolicy;
	/** STAFF_IDLE_MINUTES (default 30), in milliseconds: a staff session ends after this long without activity. */
	staffIdleMs: number;
}

/** The session limits of db/session.ts under these rules: staff sessions end when idle. */
export function sessionLimitsOf(rules: SignInRules): SessionLimits {
	return { idleLimitMs: (role) => (isStaff(role) ? rules.staffIdleMs : null) };
}

/**
 * The rules when nothing is configured: staff reach other people's health records over the internet, so they sign in
 * with a second factor (NHS DSPT, OWASP ASVS 6.3.3); service users may add one.
 */
export const DEFAULT_SIGN_IN_RULES: SignInRules = { secondFactorPolicy: 'staff', staffIdleMs: DEFAULT_STAFF_IDLE_MINUTES * 60_000 };

/** How an operator makes a key, quoted wherever one is missing or malformed. */
export const MAKE_ENCRYPTION_KEY = `node -e "console.log(require('node:crypto').randomBytes(32).toString('base64'))"`;

export class ConfigError extends Error {
	override name = 'ConfigError';
}

/** Reads and checks the configuration; throws ConfigError with a plain message when something is off. */
export function readConfig(env: NodeJS.ProcessEnv, defaults: { dataDir: string } = { dataDir: './data' }): ServerConfig {
	const port = env.PORT === undefined || env.PORT === '' ? 3000 : Number(env.PORT);
	if (!Number.isInteger(port) || port < 0 || port > 65535) {
		throw new ConfigError(`PORT must be a whole number from 0 to 65535, not "${env.PORT}".`);
	}
	const databaseUrl = env.DATABASE_URL?.trim() || undefined;
	if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
		throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://.');
	}
	const databaseOwnerUrl = env.DATABASE_OWNER_URL?.trim() || undefined;
	if (databaseOwnerUrl && !/^postgres(ql)?:\/\//.test(databaseOwnerUrl)) {
		throw new ConfigError('DATABASE_OWNER_URL must start with postgres:// or postgresql://.');
	}
	if (databaseOwnerUrl && !databaseUrl) {
		throw new ConfigError('DATABASE_OWNER_URL is for PostgreSQL: set DATABASE_URL too, for the user that serves the app.');
	}
	const embeddedPostgresUser = env.EMBEDDED_POSTGRES_USER?.trim() || undefined;
	if (embeddedPostgresUser && !/^[a-z_][a-z0-9_-]{0,31}$/.test(embeddedPostgresUser)) {
		throw new ConfigError(`EMBEDDED_POSTGRES_USER must be an account name such as chorus-postgres, not "${env.EMBEDDED_POSTGRES_USER}".`);
	}
	const origin = env.ORIGIN?.trim().replace(/\/+$/, '') || undefined;
	if (origin && !/^https?:\/\/[^/]+$/.test(origin)) {
		throw new ConfigError(`ORIGIN must look like https://chorus.example.org (no path), not "${env.ORIGIN}".`);
	}
	const defaultLocale = env.DEFAULT_LOCALE?.trim() || baseLocale;
	if (!isLocale(defaultLocale)) {
		throw new ConfigError(`DEFAULT_LOCALE must be one of ${LOCALES.join(', ')}, not "${env.DEFAULT_LOCALE}".`);
	}
	const secondFactorPolicy = env.REQUIRE_MFA_FOR?.trim() || DEFAULT_SIGN_IN_RULES.secondFactorPolicy;
	if (!isSecondFactorPolicy(secondFactorPolicy)) {
		throw new ConfigError(`REQUIRE_MFA_FOR must be one of ${SECOND_FACTOR_POLICIES.join(', ')}, not "${env.REQUIRE_MFA_FOR}".`);
	}
	const idleText = env.STAFF_IDLE_MINUTES?.trim();
	const idleMinutes = idleText ? Number(idleText) : DEFAULT_STAFF_IDLE_MINUTES;
	if (!Number.isInteger(idleMinutes) || idleMinutes < 2 || idleMinutes > 24 * 60) {
		throw new ConfigError(`STAFF_IDLE_MINUTES must be a whole number of minutes from 2 to 1440, not "${env.STAFF_IDLE_MINUTES}".`);
	}
	const keyText = env.ENCRYPTION_KEY?.trim() || undefined;
	const encryptionKey = keyText ? readEncryptionKey(keyText) : undefined;
	if (keyText && !encryptionKey) {
		throw new ConfigError(`ENCRYPTION_KEY must be 32 random bytes in base64 (44 characters). Make one with: ${MAKE_ENCRYPTION_KEY}`);
	}
	return {
		port,
		host: env.HOST?.trim() || '0.0.0.0',
		dataDir: env.DATA_DIR?.trim() || defaults.dataDir,
		databaseUrl,
		databaseOwnerUrl,
		embeddedPostgresUser,
		origin,
		defaultLocale,
		signIn: { secondFactorPolicy, staffIdleMs: idleMinutes * 60_000 },
		encryptionKey: encryptionKey ?? undefined
	};
}

/** The base URL to print in links: ORIGIN when set, otherwise this machine. */
export function publicBaseUrl(config: ServerConfig, port: number): string {
	if (config.origin) return config.origin;
	const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
	return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
