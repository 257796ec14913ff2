import { AppRoleError, openDatabase, type DatabaseOptions, type OpenDatabase } from '../db/client.ts';
import { DataDirLockedError } from '../db/data-dir-lock.ts';
import { EmbeddedPostgresError } from '../db/embedded/errors.ts';
import { countSealedAuthenticatorKeys } from '../db/second-factors.ts';
import type { Database } from '../db/types.ts';
import { ConfigError, MAKE_ENCRYPTION_KEY, type ServerConfig } from './config.ts';

/** What every way of starting Chorus (server, demo, dev server, command line) opens: the configured database. */
export function openConfiguredDatabase(
	config: ServerConfig,
	holder: string,
	options: Pick<DatabaseOptions, 'joinRunningServer' | 'onDatabaseLost' | 'say'> = {}
): Promise<OpenDatabase> {
	return openDatabase({
		databaseUrl: config.databaseUrl,
		ownerUrl: config.databaseOwnerUrl,
		dataDir: config.dataDir,
		embeddedAccount: config.embeddedPostgresUser,
		holder,
		say: (line) => console.log(`[chorus] ${line}`),
		...options
	});
}

/** The message of an error an operator can fix from what it says (no stack trace needed), else undefined. */
export function operatorMessage(error: unknown): string | undefined {
	const plain = [ConfigError, DataDirLockedError, AppRoleError, EmbeddedPostgresError].some((kind) => error instanceof kind);
	return plain ? (error as Error).message : undefined;
}

/**
 * Stops start-up when authenticator apps are set up but ENCRYPTION_KEY is not: their keys are sealed with it, so
 * nobody could finish signing in. Says how to make a key (and to use the same one as before).
 */
export async function checkEncryptionKey(config: ServerConfig, db: Database): Promise<void> {
	if (config.encryptionKey) return;
	const sealed = await countSealedAuthenticatorKeys(db);
	if (sealed === 0) return;
	throw new ConfigError(
		`ENCRYPTION_KEY is not set, but ${sealed} authenticator app${sealed === 1 ? ' is' : 's are'} set up, sealed with it. ` +
			'Set ENCRYPTION_KEY to the key this installation used before. For a new installation, make one with: ' +
			MAKE_ENCRYPTION_KEY
	);
}
