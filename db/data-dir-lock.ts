import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Raised when another live process already holds the embedded database. */
export class DataDirLockedError extends Error {
	constructor(
		readonly dataDir: string,
		readonly holderPid: number,
		readonly holder: string,
		/** The holder keeps the embedded PostgreSQL running for others to connect to (a Chorus server). */
		readonly shared: boolean
	) {
		super(
			shared
				? `The embedded database in ${dataDir} is in use by ${holder} (process ${holderPid}). Only one Chorus server ` +
						'can run on a data directory at a time: stop that one first, or give this one another DATA_DIR.'
				: `The embedded database in ${dataDir} is in use by ${holder} (process ${holderPid}) for a moment. ` + 'Wait until it has finished and try again.'
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

interface LockContent {
	pid?: number;
	holder?: string;
	shared?: boolean;
}

/** Who holds the data directory now, if anyone wrote a lock (it may be stale). */
export function readDataDirLock(dataDir: string): LockContent | undefined {
	try {
		return JSON.parse(readFileSync(join(dataDir, 'chorus.lock'), 'utf8')) as LockContent;
	} catch {
		return undefined;
	}
}

/**
 * Takes the exclusive lock on a data directory — whoever holds it runs the embedded PostgreSQL — or throws
 * DataDirLockedError naming the holder. A lock left by a process that no longer runs (a crash, kill -9) is taken over.
 * @param shared the holder lets the command line connect to its running PostgreSQL meanwhile (a server does).
 * @returns a function that releases the lock.
 */
export function lockDataDir(dataDir: string, holder: string, { shared }: { shared: boolean }): () => void {
	mkdirSync(dataDir, { recursive: true, mode: 0o700 });
	const lockPath = join(dataDir, 'chorus.lock');
	const content = JSON.stringify({ pid: process.pid, holder, shared, since: new Date().toISOString() });
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
			// An unreadable lock file is treated as stale.
			const existing = readDataDirLock(dataDir) ?? {};
			if (typeof existing.pid === 'number' && existing.pid !== process.pid && isAlive(existing.pid)) {
				throw new DataDirLockedError(dataDir, existing.pid, existing.holder ?? 'another process', existing.shared === true);
			}
			rmSync(lockPath, { force: true });
		}
	}
	throw new Error(`Could not lock ${dataDir}`);
}
