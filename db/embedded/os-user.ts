import { execFileSync, spawnSync } from 'node:child_process';
import { EmbeddedPostgresError } from './errors.ts';

/** The operating-system account the embedded PostgreSQL runs as, when Chorus itself runs as root. */
export interface PostgresAccount {
	name: string;
	uid: number;
	gid: number;
}

/** The account used when Chorus runs as root and EMBEDDED_POSTGRES_USER does not name another. */
export const DEFAULT_POSTGRES_ACCOUNT = 'chorus-postgres';

/**
 * PostgreSQL refuses to run as root. When Chorus runs as root, the embedded server runs as an unprivileged
 * account of its own (`name`), created as a system account with no login and no home when it does not exist.
 * Returns undefined when Chorus does not run as root: PostgreSQL then runs as the same user as Chorus.
 */
export function postgresAccount(name: string = DEFAULT_POSTGRES_ACCOUNT, say: (line: string) => void = () => {}): PostgresAccount | undefined {
	if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
	const existing = lookUp(name);
	if (existing) return existing;
	say(`Chorus runs as root, and PostgreSQL refuses to: creating the unprivileged system account "${name}" for the database server.`);
	const made = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', name], {
		encoding: 'utf8'
	});
	const created = made.status === 0 ? lookUp(name) : undefined;
	if (!created) {
		throw new EmbeddedPostgresError(
			`Chorus runs as root, and PostgreSQL refuses to run as root. Chorus could not create the account "${name}" ` +
				`for it (${(made.stderr || made.error?.message || 'useradd failed').trim()}). Create an unprivileged account ` +
				'yourself and name it in EMBEDDED_POSTGRES_USER, run Chorus as an ordinary user, or set DATABASE_URL.'
		);
	}
	return created;
}

function lookUp(name: string): PostgresAccount | undefined {
	try {
		const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
		const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
		if (!Number.isInteger(uid) || !Number.isInteger(gid)) return undefined;
		if (uid === 0) throw new EmbeddedPostgresError(`EMBEDDED_POSTGRES_USER names "${name}", which is root: name an unprivileged account.`);
		return { name, uid, gid };
	} catch (error) {
		if (error instanceof EmbeddedPostgresError) throw error;
		return undefined;
	}
}
