import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Raised when another live process already holds the embedded database. */
export class DataDirLockedError extends Error {
	constructor(
		readonly dataDir: string,
		readonly holderPid: number,
		readonly holder: string
	) {
		super(
			`The embedded database in ${dataDir} is in use by ${holder} (process ${holderPid}). ` +
				'Only one process can open it at a time. Stop that process first and try again, ' +
				'or run Chorus on PostgreSQL (set DATABASE_URL) so the server and the command line can work side by side.'
		);
		this.name = 'DataDirLockedError';
	}
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/**
 * Takes the exclusive lock on a PGlite data directory, or throws DataDirLockedError naming the holder.
 * A lock left by a process that no longer runs (a crash, kill -9) is taken over.
 * @returns a function that releases the lock.
 */
export function lockDataDir(dataDir: string, holder: string): () => void {
	mkdirSync(dataDir, { recursive: true });
	const lockPath = join(dataDir, 'chorus.lock');
	const content = JSON.stringify({ pid: process.pid, holder, since: new Date().toISOString() });
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			writeFileSync(lockPath, content, { flag: 'wx' });
			let released = false;
			return () => {
				if (released) return;
				released = true;
				rmSync(lockPath, { force: true });
			};
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			let existing: { pid?: number; holder?: string } = {};
			try {
				existing = JSON.parse(readFileSync(lockPath, 'utf8'));
			} catch {
				// An unreadable lock file is treated as stale.
			}
			if (typeof existing.pid === 'number' && existing.pid !== process.pid && isAlive(existing.pid)) {
				throw new DataDirLockedError(dataDir, existing.pid, existing.holder ?? 'another process');
			}
			rmSync(lockPath, { force: true });
		}
	}
	throw new Error(`Could not lock ${dataDir}`);
}
