import { cpus } from 'node:os';
import { startHocuspocusServer, startReferenceServer, type BenchServer } from './bench-servers.ts';
import { startChorus } from './chorus-bench-server.ts';
import { startEditing, type EditingFigures } from './editing-load.ts';
import type { ServerFigures } from './server-figures.ts';
import { figure, printTable, printTargets, ratio, type Target } from './stats.ts';

/** The servers a side-by-side run can measure, by the names BENCH_SERVERS takes. */
export const SERVER_KINDS = ['chorus', 'y-websocket', 'hocuspocus'] as const;
export type ServerKind = (typeof SERVER_KINDS)[number];

export interface SideBySideOptions {
	title: string;
	editors: number;
	plans: number;
	editsPerSecond: number;
	seconds: number;
	warmupSeconds: number;
	servers: readonly ServerKind[];
	/** The scenario's targets, from the figures of each server that ran. */
	targets(results: Map<ServerKind, Measured>): Target[];
}

/** One server's figures over the measured window. */
export interface Measured {
	name: string;
	/** What its acknowledgements mean (edit-to-ack), null when it sends none. */
	acknowledges: string | null;
	editing: EditingFigures;
	server: ServerFigures;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The editors each plan gets: at least two, so that every edit has a peer. */
export const editorsPerPlan = (editors: number, plans: number): number => Math.max(2, Math.round(editors / plans));

function startServer(kind: ServerKind, plans: number, perPlan: number): Promise<BenchServer> {
	if (kind === 'chorus') return startChorus({ plans, editorsPerPlan: perPlan, historyPerPlan: 0 });
	if (kind === 'y-websocket') return startReferenceServer();
	return startHocuspocusServer();
}

/** Starts one server, lets the editors type through the warm-up, measures, and stops everything. */
async function measureOn(kind: ServerKind, options: SideBySideOptions, perPlan: number): Promise<Measured> {
	const server = await startServer(kind, options.plans, perPlan);
	try {
		const load = await startEditing(server, { plans: options.plans, editorsPerPlan: perPlan, editsPerSecond: options.editsPerSecond });
		try {
			await Promise.all([sleep(options.warmupSeconds * 1000), server.settled()]);
			return { name: server.name, acknowledges: server.acknowledges, ...(await load.measure(options.seconds)) };
		} finally {
			load.stop();
		}
	} finally {
		await server.dispose();
	}
}

/**
 * The same editing workload against each server in turn, each in its own process and measured by the same code
 * (editing-load.ts); prints one table with Chorus ÷ reference ratios and the scenario's targets.
 */
export async function benchSideBySide(options: SideBySideOptions): Promise<boolean> {
	const perPlan = editorsPerPlan(options.editors, options.plans);
	const results = new Map<ServerKind, Measured>();
	let failed = false;
	for (const kind of options.servers) {
		try {
			results.set(kind, await measureOn(kind, options, perPlan));
		} catch (error) {
			failed = true;
			console.error(`\n${kind}: the run failed: ${error instanceof Error ? error.message : String(error)}`);
		}
	}

	console.log(`\n${options.title}: ${perPlan * options.plans} editors on ${options.plans} plans, ${options.editsPerSecond} edits/s offered in total`);
	console.log(
		`  ${options.seconds} s measured after ${options.warmupSeconds} s of warm-up (Chorus: and after its start-up sweep, 15 s from start), one server at a time, each in its own process;`
	);
	console.log(`  ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, the simulated editors on the same machine`);
	const kinds = options.servers.filter((kind) => results.has(kind));
	const chorus = results.get('chorus');
	const reference = results.get('y-websocket');
	// `compare`: the row gets a Chorus ÷ reference ratio; `text`: how the cell is written, when not the value alone.
	type Row = { label: string; value(measured: Measured): number | null | undefined; compare?: boolean; digits?: number; text?(measured: Measured): string };
	const rows: Row[] = [
		{ label: 'edits sent/s', value: (m) => m.editing.sentPerSecond, digits: 0 },
		{ label: 'edit-to-peer p50 (ms)', value: (m) => m.editing.peer.p50, compare: true },
		{ label: 'edit-to-peer p99 (ms)', value: (m) => m.editing.peer.p99, compare: true },
		{ label: 'edit-to-peer max (ms)', value: (m) => m.editing.peer.max, compare: true },
		{ label: 'edit-to-ack p50 (ms)', value: (m) => m.editing.ack?.p50 },
		{ label: 'edit-to-ack p99 (ms)', value: (m) => m.editing.ack?.p99 },
		{ label: 'event-loop delay p50 (ms)', value: (m) => m.server.loopDelay?.p50, compare: true, digits: 2 },
		{ label: 'event-loop delay p99 (ms)', value: (m) => m.server.loopDelay?.p99, compare: true, digits: 2 },
		{ label: 'event-loop delay max (ms)', value: (m) => m.server.loopDelay?.max, compare: true },
		{ label: 'server CPU (% of a core)', value: (m) => m.server.cpu * 100, compare: true, digits: 0 },
		{ label: 'its PostgreSQL CPU (% of a core)', value: (m) => (m.server.postgres ? m.server.postgres.cpu * 100 : null), digits: 0 },
		{ label: 'server RSS max (MB)', value: (m) => m.server.rssMaxMb, compare: true, digits: 0 },
		{ label: 'server RSS at end (MB)', value: (m) => m.server.rssEndMb, compare: true, digits: 0 },
		{ label: 'its PostgreSQL RSS max (MB)', value: (m) => m.server.postgres?.rssMaxMb, digits: 0 },
		{
			label: 'its PostgreSQL RSS / PSS at end (MB)',
			value: (m) => m.server.postgres?.rssEndMb,
			text: (m) => (m.server.postgres ? `${figure(m.server.postgres.rssEndMb, 0)} / ${figure(m.server.postgres.pssEndMb, 0)}` : 'n/a')
		},
		{ label: 'simulated editors CPU (% of a core)', value: (m) => m.editing.clientCpu * 100, digits: 0 },
		{ label: 'everything else on the machine (CPU %)', value: (m) => otherCpu(m) * 100, digits: 0 }
	];
	console.log('');
	printTable(
		['measure', ...kinds.map((kind) => results.get(kind)!.name), ...(chorus && reference ? ['Chorus ÷ y-websocket'] : [])],
		rows.map((row) => {
			const cells = kinds.map((kind) => {
				const measured = results.get(kind)!;
				return row.text ? row.text(measured) : figure(row.value(measured), row.digits);
			});
			const compared = chorus && reference ? [row.compare ? ratio(row.value(chorus), row.value(reference)) : ''] : [];
			return [row.label, ...cells, ...compared];
		})
	);
	const notes = kinds.map((kind) => `${results.get(kind)!.name}: ${results.get(kind)!.acknowledges ?? 'none sent'}`);
	console.log(`  edit-to-ack: ${notes.join('; ')}`);
	if (chorus?.server.postgres === null) console.log('  PostgreSQL: n/a (no DATA_DIR/postgres/postmaster.pid: an external DATABASE_URL)');
	const targets = options.targets(results);
	return printTargets(targets) && !failed;
}

/** CPU the machine spent on anything but this server, its PostgreSQL and the simulated editors (other work disturbs the figures). */
export function otherCpu(measured: Pick<Measured, 'editing' | 'server'>): number {
	return Math.max(0, measured.server.machineCpu - measured.server.cpu - (measured.server.postgres?.cpu ?? 0) - measured.editing.clientCpu);
}
