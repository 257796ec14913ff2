import { AppRoleError, openDatabase, type DatabaseOptions, type OpenDatabase } from '../db/client.ts';
import { DataDirLockedError } from '../db/data-dir-lock.ts';
import { EmbeddedPostgresError } from '../db/embedded/errors.ts';
import { ConfigError, type ServerConfig } from './config.ts';

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
