import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The module a benchmarked server loads with `--import` to measure its own event-loop delay. */
export const EVENT_LOOP_PROBE = './tests/bench/event-loop-probe.js';
const PROBE_PREFIX = 'event-loop-probe ';

/** Event-loop delay inside a server process over one measured window, in ms beyond the probe's 1 ms timer. */
export interface LoopDelay {
	p50: number;
	p99: number;
	max: number;
	samples: number;
}

/** What a server process (and its PostgreSQL, when it runs the embedded one) used over one measured window. */
export interface ServerFigures {
	loopDelay: LoopDelay | null;
	/** Share of one core, 1 = 100 %. */
	cpu: number;
	/** What every process on the machine used together (this server, the simulated editors, anything else), in cores. */
	machineCpu: number;
	rssMaxMb: number;
	rssEndMb: number;
	/** The embedded PostgreSQL's processes together; null when there is none (an external DATABASE_URL, or not Chorus). */
	postgres: { rssMaxMb: number; rssEndMb: number; pssEndMb: number; cpu: number; processes: number } | null;
}

/** A running server process the benchmark can look at. */
export interface WatchedProcess {
	pid: number;
	/** Everything the process printed on stdout so far (the probe's lines among it). */
	output(): string;
	/** The embedded PostgreSQL's data folder (DATA_DIR/postgres) when the process may run one. */
	postgresDir?: string;
}

/**
 * Starts watching a server process for one measured window: resets its event-loop probe and samples its
 * memory (and that of its embedded PostgreSQL) until `finish` is called.
 */
export async function watchServer(server: WatchedProcess): Promise<{ finish(): Promise<ServerFigures> }> {
	await readLoopDelay(server);
	const started = performance.now();
	const cpuStart = cpuSeconds(server.pid);
	const machineStart = machineBusySeconds();
	const postgresCpuStart = postgresProcesses(server.postgresDir).reduce((sum, pid) => sum + cpuSeconds(pid), 0);
	const rss: number[] = [];
	const postgresRss: number[] = [];
	const sample = () => {
		rss.push(rssMb(server.pid));
		const postgres = postgresProcesses(server.postgresDir);
		if (postgres.length > 0) postgresRss.push(postgres.reduce((sum, pid) => sum + rssMb(pid), 0));
	};
	sample();
	const timer = setInterval(sample, 500);
	return {
		async finish() {
			clearInterval(timer);
			sample();
			const seconds = (performance.now() - started) / 1000;
			const loopDelay = await readLoopDelay(server);
			const postgres = postgresProcesses(server.postgresDir);
			return {
				loopDelay,
				cpu: (cpuSeconds(server.pid) - cpuStart) / seconds,
				machineCpu: (machineBusySeconds() - machineStart) / seconds,
				rssMaxMb: Math.max(...rss),
				rssEndMb: rss.at(-1)!,
				postgres:
					postgres.length === 0
						? null
						: {
								rssMaxMb: Math.max(...postgresRss),
								rssEndMb: postgresRss.at(-1) ?? 0,
								pssEndMb: postgres.reduce((sum, pid) => sum + pssMb(pid), 0),
								cpu: (postgres.reduce((sum, pid) => sum + cpuSeconds(pid), 0) - postgresCpuStart) / seconds,
								processes: postgres.length
							}
			};
		}
	};
}

/** Asks the probe (SIGUSR2) for the event-loop delay since it was last asked, and waits for its line. */
async function readLoopDelay(server: WatchedProcess): Promise<LoopDelay | null> {
	const count = () => server.output().split(PROBE_PREFIX).length - 1;
	const before = count();
	process.kill(server.pid, 'SIGUSR2');
	const deadline = Date.now() + 10_000;
	while (count() === before) {
		if (Date.now() > deadline) return null;
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
	const line = server
		.output()
		.slice(server.output().lastIndexOf(PROBE_PREFIX) + PROBE_PREFIX.length)
		.split('\n')[0]!;
	return JSON.parse(line) as LoopDelay;
}

/** The postmaster named in `postmaster.pid` (its first line) and all its descendants; none without the file. */
function postgresProcesses(postgresDir: string | undefined): number[] {
	if (!postgresDir) return [];
	const pidFile = join(postgresDir, 'postmaster.pid');
	if (!existsSync(pidFile)) return [];
	const postmaster = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
	if (!Number.isInteger(postmaster) || !existsSync(`/proc/${postmaster}`)) return [];
	const children = new Map<number, number[]>();
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		const parent = parentOf(Number(entry));
		if (parent !== null) children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
	}
	const found = [postmaster];
	for (let index = 0; index < found.length; index++) found.push(...(children.get(found[index]!) ?? []));
	return found;
}

/** Fields of /proc/<pid>/stat after the command name (which may contain spaces); null once the process is gone. */
function statFields(pid: number): string[] | null {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	} catch {
		return null;
	}
}

function parentOf(pid: number): number | null {
	const fields = statFields(pid);
	return fields ? Number(fields[1]) : null;
}

/** CPU seconds a process has used so far (user + system). */
function cpuSeconds(pid: number): number {
	const fields = statFields(pid);
	return fields ? (Number(fields[11]) + Number(fields[12])) / 100 : 0;
}

/** CPU seconds all cores have spent busy since boot (everything but idle and waiting for I/O), from /proc/stat. */
function machineBusySeconds(): number {
	const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
	const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
	return (user! + nice! + system! + irq! + softirq! + steal!) / 100;
}

/** A line of /proc/<pid>/<file> in kB as MB, 0 once the process is gone. */
function procKbAsMb(pid: number, file: string, field: string): number {
	try {
		const match = new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(readFileSync(`/proc/${pid}/${file}`, 'utf8'));
		return Number(match?.[1] ?? 0) / 1024;
	} catch {
		return 0;
	}
}

const rssMb = (pid: number) => procKbAsMb(pid, 'status', 'VmRSS');
// Proportional set size: shared memory (PostgreSQL's shared buffers) divided among the processes that map it.
const pssMb = (pid: number) => procKbAsMb(pid, 'smaps_rollup', 'Pss');
