import { closeSync, createReadStream, createWriteStream, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';
import type postgres from 'postgres';

/** A backup is a folder: this manifest plus one file of JSON lines per table. */
const MANIFEST = 'chorus-backup.json';
const FORMAT = 'chorus-backup';
const FORMAT_VERSION = 1;
/** Rows read per round trip while backing up, and inserted per statement while restoring. */
const BATCH = 500;

export interface BackupManifest {
	format: typeof FORMAT;
	version: typeof FORMAT_VERSION;
	createdAt: string;
	/** The last migration applied to the database backed up: a restore needs the same schema. */
	migration: string;
	tables: Record<string, number>;
}

/** A backup that cannot be made or restored; the message says why and what to do. */
export class BackupError extends Error {
	override name = 'BackupError';
}

/**
 * Copies every row of every table of the schema `public` into `folder`, from one snapshot (a REPEATABLE READ,
 * read-only transaction): a consistent copy while the server keeps running and saving. Files are flushed to disk
 * before the manifest is written last, so a folder with a manifest is a complete backup.
 * @param owner a connection as the role that owns the tables (it may read all of them).
 */
export async function backupDatabase(owner: postgres.Sql, folder: string): Promise<BackupManifest> {
	if (existsSync(folder) && readdirSync(folder).length > 0) throw new BackupError(`${folder} is not empty: choose a new folder for the backup.`);
	mkdirSync(folder, { recursive: true, mode: 0o700 });
	return owner.begin('ISOLATION LEVEL REPEATABLE READ READ ONLY', async (tx) => {
		const migration = await lastMigration(tx);
		const tables: Record<string, number> = {};
		for (const table of await tableNames(tx)) {
			const path = join(folder, `${table}.jsonl`);
			const out = createWriteStream(path, { mode: 0o600 });
			let rows = 0;
			const order = await primaryKeyOrder(tx, table);
			const cursor = tx.unsafe(`SELECT row_to_json(t)::text AS line FROM public."${table}" t ${order}`).cursor(BATCH);
			for await (const batch of cursor) {
				for (const { line } of batch as unknown as { line: string }[]) out.write(`${line}\n`);
				rows += batch.length;
			}
			out.end();
			await finished(out);
			flush(path);
			tables[table] = rows;
		}
		const manifest: BackupManifest = { format: FORMAT, version: FORMAT_VERSION, createdAt: new Date().toISOString(), migration, tables };
		writeFileSync(join(folder, MANIFEST), JSON.stringify(manifest, null, 2), { mode: 0o600 });
		flush(join(folder, MANIFEST));
		return manifest;
	}) as Promise<BackupManifest>;
}

/**
 * Loads a backup into an empty database of the same schema, in one transaction: all of it or nothing.
 * Refuses a database that holds any row, a backup of another schema version, and an incomplete folder.
 * @param owner a connection as a superuser (foreign keys are checked once the backup is known to be whole).
 */
export async function restoreDatabase(owner: postgres.Sql, folder: string): Promise<BackupManifest> {
	const manifest = readManifest(folder);
	await owner.begin(async (tx) => {
		const [role] = await tx<{ superuser: boolean }[]>`SELECT rolsuper AS superuser FROM pg_roles WHERE rolname = current_user`;
		if (!role?.superuser) {
			throw new BackupError(
				'Restoring needs a superuser connection (DATABASE_OWNER_URL). For an external PostgreSQL server, pg_dump and pg_restore do the same.'
			);
		}
		const migration = await lastMigration(tx);
		if (migration !== manifest.migration) {
			throw new BackupError(
				`The backup was made with another version of Chorus (schema ${manifest.migration}, this one has ${migration}): restore it with that version.`
			);
		}
		const tables = await tableNames(tx);
		for (const table of tables) {
			const [row] = await tx.unsafe(`SELECT EXISTS (SELECT 1 FROM public."${table}") AS used`);
			if (row?.used) throw new BackupError(`The database is not empty (the table ${table} has rows): restore into a new DATA_DIR or a new database.`);
		}
		const unknown = Object.keys(manifest.tables).filter((table) => !tables.includes(table));
		if (unknown.length > 0) throw new BackupError(`The backup has tables this database lacks (${unknown.join(', ')}).`);
		// Rows reference each other in cycles (appointments and versions): check the keys after every row is in.
		await tx`SET LOCAL session_replication_role = replica`;
		for (const [table, expected] of Object.entries(manifest.tables)) {
			const loaded = await loadTable(tx, table, join(folder, `${table}.jsonl`));
			if (loaded !== expected) throw new BackupError(`The backup is damaged: ${table}.jsonl has ${loaded} rows, the manifest says ${expected}.`);
		}
		await tx`SET LOCAL session_replication_role = origin`;
		await checkForeignKeys(tx);
		await resetSequences(tx);
	});
	return manifest;
}

function readManifest(folder: string): BackupManifest {
	let manifest: BackupManifest;
	try {
		manifest = JSON.parse(readFileSync(join(folder, MANIFEST), 'utf8')) as BackupManifest;
	} catch {
		throw new BackupError(`${folder} is not a complete Chorus backup (${MANIFEST} is missing or unreadable).`);
	}
	if (manifest.format !== FORMAT || manifest.version !== FORMAT_VERSION || typeof manifest.tables !== 'object') {
		throw new BackupError(`${folder} is not a Chorus backup this version can read.`);
	}
	return manifest;
}

async function loadTable(tx: postgres.TransactionSql, table: string, path: string): Promise<number> {
	if (!existsSync(path)) throw new BackupError(`The backup is damaged: ${path} is missing.`);
	let rows = 0;
	let batch: string[] = [];
	const insert = async () => {
		if (batch.length === 0) return;
		await tx.unsafe(`INSERT INTO public."${table}" SELECT * FROM json_populate_recordset(NULL::public."${table}", ($1::text)::json)`, [`[${batch.join(',')}]`]);
		rows += batch.length;
		batch = [];
	};
	for await (const line of createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity })) {
		if (line === '') continue;
		batch.push(line);
		if (batch.length >= BATCH) await insert();
	}
	await insert();
	return rows;
}

/** Every foreign key holds (they were not checked while loading). */
async function checkForeignKeys(tx: postgres.TransactionSql): Promise<void> {
	const keys = await tx<{ table: string; definition: string; columns: string[]; refTable: string; refColumns: string[] }[]>`
		SELECT c.conrelid::regclass::text AS table, pg_get_constraintdef(c.oid) AS definition,
			ARRAY(SELECT a.attname FROM unnest(c.conkey) k JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k) AS columns,
			c.confrelid::regclass::text AS "refTable",
			ARRAY(SELECT a.attname FROM unnest(c.confkey) k JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k) AS "refColumns"
		FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
		WHERE c.contype = 'f' AND n.nspname = 'public'`;
	for (const key of keys) {
		const join = key.columns.map((column, index) => `r."${key.refColumns[index]}" = t."${column}"`).join(' AND ');
		const present = key.columns.map((column) => `t."${column}" IS NOT NULL`).join(' AND ');
		const [broken] = await tx.unsafe(`SELECT 1 FROM ${key.table} t WHERE ${present} AND NOT EXISTS (SELECT 1 FROM ${key.refTable} r WHERE ${join}) LIMIT 1`);
		if (broken) throw new BackupError(`The backup is damaged: ${key.table} refers to rows of ${key.refTable} it does not contain.`);
	}
}

/** Sequences continue after the restored ids. */
async function resetSequences(tx: postgres.TransactionSql): Promise<void> {
	const owned = await tx<{ sequence: string; table: string; column: string }[]>`
		SELECT s.oid::regclass::text AS sequence, t.oid::regclass::text AS table, a.attname AS column
		FROM pg_class s JOIN pg_depend d ON d.objid = s.oid AND d.deptype = 'a'
		JOIN pg_class t ON t.oid = d.refobjid JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
		JOIN pg_namespace n ON n.oid = s.relnamespace
		WHERE s.relkind = 'S' AND n.nspname = 'public'`;
	for (const { sequence, table, column } of owned) {
		await tx.unsafe(`SELECT setval('${sequence}', COALESCE((SELECT max("${column}") FROM ${table}), 0) + 1, false)`);
	}
}

async function tableNames(tx: postgres.TransactionSql): Promise<string[]> {
	const rows = await tx<{ name: string }[]>`
		SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname`;
	return rows.map((row) => row.name);
}

async function primaryKeyOrder(tx: postgres.TransactionSql, table: string): Promise<string> {
	const [key] = await tx<{ columns: string[] }[]>`
		SELECT ARRAY(SELECT a.attname FROM unnest(c.conkey) k JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k) AS columns
		FROM pg_constraint c WHERE c.conrelid = ${`public."${table}"`}::regclass AND c.contype = 'p'`;
	return key && key.columns.length > 0 ? `ORDER BY ${key.columns.map((column) => `t."${column}"`).join(', ')}` : '';
}

async function lastMigration(tx: postgres.TransactionSql): Promise<string> {
	const [row] = await tx<{ hash: string }[]>`SELECT hash FROM drizzle.__drizzle_migrations ORDER BY created_at DESC, id DESC LIMIT 1`;
	if (!row) throw new BackupError('The database has no Chorus schema yet.');
	return row.hash;
}

function flush(path: string): void {
	const fd = openSync(path, 'r');
	try {
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
}
