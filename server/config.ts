import { baseLocale, isLocale, LOCALES, type Locale } from '../src/lib/shared/locale.ts';

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
}

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
	return {
		port,
		host: env.HOST?.trim() || '0.0.0.0',
		dataDir: env.DATA_DIR?.trim() || defaults.dataDir,
		databaseUrl,
		databaseOwnerUrl,
		embeddedPostgresUser,
		origin,
		defaultLocale
	};
}

/** The base URL to print in links: ORIGIN when set, otherwise this machine. */
export function publicBaseUrl(config: ServerConfig, port: number): string {
	if (config.origin) return config.origin;
	const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
	return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
