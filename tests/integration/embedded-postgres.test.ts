import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.ts';
import { lockDataDir } from '../../db/data-dir-lock.ts';
import { clusterDir, runningPostmaster } from '../../db/embedded/postgres-server.ts';
import { loadPlanState } from '../../db/plan-log.ts';
import { findTeamByName } from '../../db/teams.ts';
import { connectCollabClient, eventually, type CollabClient } from '../helpers/collab-client.ts';
import { planIdsOnHome, signInCookie } from '../helpers/http-session.ts';
import { sectionWords } from '../helpers/plan-doc.ts';
import { runNodeScript } from '../helpers/processes.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { Typist } from '../helpers/typist.ts';

// The server as `npm start` runs it without DATABASE_URL: its own PostgreSQL in DATA_DIR, killed and restarted.
let server: TestServer;
let dataDir: string;
let planId: string;
const cookies: Record<string, string> = {};
const clients: CollabClient[] = [];
const scratch: string[] = [];

beforeAll(async () => {
	server = await startTestServer({}, undefined, { storage: 'embedded' });
	dataDir = server.dataDir!;
	for (const person of ['sam', 'priya', 'tom']) cookies[person] = await signInCookie(server.url, person);
	planId = (await planIdsOnHome(server.url, cookies.sam!))[0]!;
});

afterAll(async () => {
	for (const client of clients) client.destroy();
	await server?.dispose();
	for (const folder of scratch) rmSync(folder, { recursive: true, force: true });
});

function connect(who: string): CollabClient {
	const client = connectCollabClient(server.url, planId, { cookie: cookies[who] });
	clients.push(client);
	return client;
}

function newFolder(prefix: string): string {
	const folder = mkdtempSync(join(tmpdir(), prefix));
	scratch.push(folder);
	return folder;
}

/** What a newcomer finds in the plan's "about" section right now. */
async function storedAbout(): Promise<string> {
	const witness = connectCollabClient(server.url, planId, { cookie: cookies.tom });
	try {
		await witness.synced();
		return sectionWords(witness.doc, 'about');
	} finally {
		witness.destroy();
	}
}

/** Everything acknowledged to each typist is stored. */
function expectAcknowledgedKept(stored: string, acknowledged: Map<Typist, number>, when: string): void {
	for (const [typist, count] of acknowledged) {
		const lost = typist.typed.slice(0, count).filter((token) => !stored.includes(token));
		expect(lost, `acknowledged edits of ${typist.name} lost ${when}`).toEqual([]);
	}
}

const cli = (args: string[], env: NodeJS.ProcessEnv = { DATA_DIR: dataDir, DATABASE_URL: '' }) => runNodeScript('server/cli.ts', args, { env });

describe('the embedded PostgreSQL', () => {
	it('is made on first start, listens only on a socket in DATA_DIR, and says so', () => {
		expect(server.output()).toContain('First start: creating the database');
		expect(server.output()).toMatch(/database: embedded \(.*PostgreSQL on a Unix socket, no TCP port\)/);
		expect(existsSync(join(clusterDir(dataDir), '.s.PGSQL.5432'))).toBe(true);
		expect(runningPostmaster(dataDir)).toBeGreaterThan(0);
	});

	it('keeps every acknowledged edit when its PostgreSQL is killed (-9) while two people type, acknowledging nothing meanwhile', async () => {
		const sam = new Typist('sam', connect('sam'));
		const priya = new Typist('priya', connect('priya'));
		await Promise.all([sam.client.synced(), priya.client.synced()]);
		sam.start(9);
		priya.start(13);
		await new Promise((resolve) => setTimeout(resolve, 500));
		await Promise.all([sam.catchBreath(), priya.catchBreath()]);
		const acknowledged = new Map([
			[sam, sam.acknowledged],
			[priya, priya.acknowledged]
		]);
		expect(sam.acknowledged + priya.acknowledged).toBeGreaterThan(0);

		const postmaster = runningPostmaster(dataDir)!;
		process.kill(postmaster, 'SIGKILL');
		// While the database is down they keep typing: the screen says "not saved", and the server says why.
		await eventually(() => expect(sam.client.saves.state).not.toBe('saved'), 5_000);
		await eventually(() => expect(server.output()).toContain('The database server stopped unexpectedly (it was stopped by SIGKILL)'), 5_000);
		await eventually(() => expect(server.output()).toContain('The database server is running again'), 30_000);
		expect(runningPostmaster(dataDir)).not.toBe(postmaster);

		sam.stop();
		priya.stop();
		await Promise.all([sam.client.saves.whenSaved(), priya.client.saves.whenSaved()]);
		const stored = await storedAbout();
		expectAcknowledgedKept(stored, acknowledged, 'when PostgreSQL was killed');
		// What was typed during the outage was resent and saved: nothing anyone typed is missing.
		for (const token of [...sam.typed, ...priya.typed]) expect(stored).toContain(token);
		await eventually(() => expect(sectionWords(sam.client.doc, 'about')).toBe(stored));
	});

	it('starts again after Chorus and its PostgreSQL were both killed (-9), keeping every acknowledged edit', async () => {
		const sam = new Typist('sam', connect('sam'));
		await sam.client.synced();
		sam.start(9);
		await new Promise((resolve) => setTimeout(resolve, 300));
		await sam.catchBreath();
		await new Promise((resolve) => setTimeout(resolve, 100));
		const acknowledged = new Map([[sam, sam.acknowledged]]);
		const postmaster = runningPostmaster(dataDir)!;
		await server.kill();
		process.kill(postmaster, 'SIGKILL');
		await eventually(() => expect(runningPostmaster(dataDir)).toBeUndefined());
		// postmaster.pid is left behind, naming a process that is gone.
		expect(existsSync(join(clusterDir(dataDir), 'postmaster.pid'))).toBe(true);
		await server.restart();
		expect(server.output()).toContain('The database was not shut down cleanly last time');
		expectAcknowledgedKept(await storedAbout(), acknowledged, 'when everything was killed');
		sam.stop();
		await sam.client.saves.whenSaved();
		const stored = await storedAbout();
		for (const token of sam.typed) expect(stored).toContain(token);
	});

	it('stops a PostgreSQL left running by a killed Chorus before starting its own', async () => {
		const orphan = runningPostmaster(dataDir)!;
		await server.kill();
		expect(runningPostmaster(dataDir)).toBe(orphan);
		await server.restart();
		expect(server.output()).toContain(`A database server left over from an earlier run (process ${orphan})`);
		expect(runningPostmaster(dataDir)).not.toBe(orphan);
		await storedAbout();
	});

	it('starts although a stale postmaster.pid names a live process that is not PostgreSQL (a reused pid)', async () => {
		await server.stop();
		expect(runningPostmaster(dataDir)).toBeUndefined();
		writeFileSync(join(clusterDir(dataDir), 'postmaster.pid'), `${process.pid}\n${clusterDir(dataDir)}\n`);
		await server.restart();
		expect(runningPostmaster(dataDir)).toBeGreaterThan(0);
		await storedAbout();
	});

	it('lets the command line work while the server runs, through the server’s own PostgreSQL', async () => {
		const added = await cli(['team', 'add', '--name', 'Riverside Team']);
		expect(added.stderr).toBe('');
		expect(added.code).toBe(0);
		expect(JSON.parse(added.stdout)).toMatchObject({ name: 'Riverside Team' });
		const storage = await server.openStorage();
		try {
			expect(await findTeamByName(storage.db, 'Riverside Team')).toMatchObject({ name: 'Riverside Team' });
		} finally {
			await storage.close();
		}
		// The server is unaffected.
		await storedAbout();
	});

	it('makes a consistent backup while people type, which restores into a new DATA_DIR with every acknowledged change', async () => {
		const sam = new Typist('sam', connect('sam'));
		await sam.client.synced();
		sam.start(9);
		await new Promise((resolve) => setTimeout(resolve, 300));
		await sam.catchBreath();
		const acknowledged = new Map([[sam, sam.acknowledged]]);
		const backupDir = join(newFolder('chorus-backup-'), 'backup');
		const backup = await cli(['backup', '--to', backupDir]);
		expect(backup.stderr).toBe('');
		expect(backup.code).toBe(0);
		const summary = JSON.parse(backup.stdout) as { rows: Record<string, number> };
		expect(summary.rows.plan_update).toBeGreaterThan(0);
		sam.stop();
		await sam.client.saves.whenSaved();

		// A second backup into the same folder is refused: a backup is never overwritten.
		const again = await cli(['backup', '--to', backupDir]);
		expect(again.code).toBe(1);
		expect(again.stderr).toContain('is not empty: choose a new folder');

		const restoredDir = newFolder('chorus-restored-');
		const env = { DATA_DIR: restoredDir, DATABASE_URL: '' };
		const restored = await cli(['restore', '--from', backupDir], env);
		expect(restored.stderr).not.toMatch(/error/i);
		expect(restored.code).toBe(0);
		expect(JSON.parse(restored.stdout).rows).toEqual(summary.rows);
		// Restoring twice would mix two copies: refused, nothing changed.
		const twice = await cli(['restore', '--from', backupDir], env);
		expect(twice.code).toBe(1);
		expect(twice.stderr).toContain('The database is not empty');

		const database = await openDatabase({ dataDir: restoredDir, holder: 'a test' });
		try {
			const state = await loadPlanState(database.db, planId);
			const doc = new Y.Doc();
			if (state.checkpoint) Y.applyUpdate(doc, state.checkpoint);
			for (const update of state.tail) Y.applyUpdate(doc, update);
			expectAcknowledgedKept(sectionWords(doc, 'about'), acknowledged, 'in the restored backup');
		} finally {
			await database.close();
		}
	});

	it('refuses a restore from a folder that is not a backup, and a backup while another command holds the database', async () => {
		const empty = newFolder('chorus-not-a-backup-');
		const restoredDir = newFolder('chorus-restored-');
		const refused = await cli(['restore', '--from', empty], { DATA_DIR: restoredDir, DATABASE_URL: '' });
		expect(refused.code).toBe(1);
		expect(refused.stderr).toContain('is not a complete Chorus backup');

		const idleDir = newFolder('chorus-idle-');
		const release = lockDataDir(idleDir, 'the Chorus command line', { shared: false });
		try {
			const busy = await cli(['team', 'add', '--name', 'Blocked Team'], { DATA_DIR: idleDir, DATABASE_URL: '' });
			expect(busy.code).toBe(1);
			expect(busy.stderr).toContain(`in use by the Chorus command line (process ${process.pid}) for a moment`);
		} finally {
			release();
		}
	});

	it('stops with a clear message when its PostgreSQL dies and cannot be started again', async () => {
		const versionFile = join(clusterDir(dataDir), 'PG_VERSION');
		const version = readFileSync(versionFile, 'utf8');
		writeFileSync(versionFile, '9\n'); // a cluster this PostgreSQL cannot open
		try {
			process.kill(runningPostmaster(dataDir)!, 'SIGKILL');
			await eventually(
				() => expect(server.output()).toContain('Stopping: the database server stopped (it was stopped by SIGKILL) and could not be started again'),
				40_000
			);
			await server.stop();
		} finally {
			writeFileSync(versionFile, version);
		}
		await server.restart();
		await storedAbout();
	});

	it('refuses a DATA_DIR of the earlier PGlite engine with a clear message, changing nothing in it', async () => {
		const old = newFolder('chorus-pglite-');
		writeFileSync(join(old, 'PG_VERSION'), '17\n');
		mkdirSync(join(old, 'base'));
		const started = await runNodeScript('server/index.ts', [], { env: { DATA_DIR: old, DATABASE_URL: '', PORT: '0' } });
		expect(started.code).toBe(1);
		expect(started.stderr).toContain('holds a database of an earlier Chorus (the PGlite engine)');
		expect(existsSync(join(old, 'postgres'))).toBe(false);
	});
});
