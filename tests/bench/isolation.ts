import { startChorus, type ChorusBenchServer } from './chorus-bench-server.ts';
import { startEditing, summarise } from './editing-load.ts';
import { editorsPerPlan, otherCpu } from './side-by-side.ts';
import { figure, printTable, printTargets, ratio } from './stats.ts';

export interface IsolationOptions {
	editors: number;
	plans: number;
	editsPerSecond: number;
	/** Logged changes each plan has before the editors start. */
	historyPerPlan: number;
	seconds: number;
	warmupSeconds: number;
}

/** What the supervisor reads, in this order, round after round (one plan per round, in turn). */
function supervisorReads(teamId: string, planId: string): { name: string; path: string }[] {
	return [
		{ name: 'involvement audit page', path: `/audit?team=${teamId}` },
		{ name: 'audit export (CSV)', path: `/api/audit/involvement?team=${teamId}&format=csv` },
		{ name: "a plan's audit page", path: `/audit/plans/${planId}` },
		{ name: 'history page', path: `/plans/${planId}/history` },
		{ name: 'history API', path: `/api/plans/${planId}/history?limit=20` },
		{ name: 'authorship API', path: `/api/plans/${planId}/authorship` },
		{ name: 'versions page', path: `/plans/${planId}/versions` },
		{ name: 'versions API', path: `/api/plans/${planId}/versions` }
	];
}

interface ReadFigures {
	times: Map<string, number[]>;
	/** Answers other than 200 (and requests that failed), as "status name". */
	refused: Map<string, number>;
}

/** One signed-in supervisor reading dashboard, export and history as fast as the answers come, until `stop`. */
function startSupervisor(server: ChorusBenchServer): { stop(): Promise<ReadFigures> } {
	const figures: ReadFigures = { times: new Map(), refused: new Map() };
	let running = true;
	const loop = (async () => {
		for (let round = 0; running; round++) {
			for (const read of supervisorReads(server.teamId, server.planIds[round % server.planIds.length]!)) {
				if (!running) break;
				const started = performance.now();
				let status: string;
				try {
					// A redirect (to sign-in, say) is an answer the supervisor did not want: not followed, counted.
					const response = await fetch(`${server.url}${read.path}`, { headers: { cookie: server.supervisorCookie }, redirect: 'manual' });
					await response.arrayBuffer();
					status = String(response.status);
				} catch (error) {
					status = error instanceof Error ? error.message : 'failed';
				}
				if (status === '200') {
					const times = figures.times.get(read.name) ?? [];
					times.push(performance.now() - started);
					figures.times.set(read.name, times);
				} else {
					figures.refused.set(`${status} ${read.name}`, (figures.refused.get(`${status} ${read.name}`) ?? 0) + 1);
				}
			}
		}
	})();
	return {
		async stop() {
			running = false;
			await loop;
			return figures;
		}
	};
}

/**
 * Isolation: the collaboration scenario's editors on Chorus alone, then the same editors while one supervisor
 * reads the involvement audit, its CSV export and the plans' history, authorship and versions in a loop. The
 * editors' p99 with the reader should stay within 1.5× of their p99 without, and every read should answer 200.
 */
export async function benchIsolation(options: IsolationOptions): Promise<boolean> {
	const perPlan = editorsPerPlan(options.editors, options.plans);
	const server = await startChorus({ plans: options.plans, editorsPerPlan: perPlan, historyPerPlan: options.historyPerPlan });
	const { editors, alone, withReader, reads } = await (async () => {
		try {
			const load = await startEditing(server, { plans: options.plans, editorsPerPlan: perPlan, editsPerSecond: options.editsPerSecond });
			try {
				await Promise.all([new Promise((resolve) => setTimeout(resolve, options.warmupSeconds * 1000)), server.settled()]);
				const alone = await load.measure(options.seconds);
				const supervisor = startSupervisor(server);
				const withReader = await load.measure(options.seconds);
				return { editors: load.editors, alone, withReader, reads: await supervisor.stop() };
			} finally {
				load.stop();
			}
		} finally {
			await server.dispose();
		}
	})();

	console.log(
		`\nIsolation (Chorus): ${editors} editors on ${options.plans} plans (${options.historyPerPlan.toLocaleString('en')} logged changes each before they start), ${options.editsPerSecond} edits/s;`
	);
	console.log(
		`  after its start-up sweep, ${options.seconds} s alone, then ${options.seconds} s while one signed-in supervisor reads dashboard, export and history in a loop`
	);
	console.log('');
	type Row = [label: string, alone: number | null | undefined, withReader: number | null | undefined, digits?: number];
	const compared: Row[] = [
		['edits sent/s', alone.editing.sentPerSecond, withReader.editing.sentPerSecond, 0],
		['edit-to-peer p50 (ms)', alone.editing.peer.p50, withReader.editing.peer.p50],
		['edit-to-peer p99 (ms)', alone.editing.peer.p99, withReader.editing.peer.p99],
		['edit-to-peer max (ms)', alone.editing.peer.max, withReader.editing.peer.max],
		['edit-to-ack p50 (ms)', alone.editing.ack?.p50, withReader.editing.ack?.p50],
		['edit-to-ack p99 (ms)', alone.editing.ack?.p99, withReader.editing.ack?.p99],
		['event-loop delay p99 (ms)', alone.server.loopDelay?.p99, withReader.server.loopDelay?.p99, 2],
		['event-loop delay max (ms)', alone.server.loopDelay?.max, withReader.server.loopDelay?.max],
		['server CPU (% of a core)', alone.server.cpu * 100, withReader.server.cpu * 100, 0],
		[
			'its PostgreSQL CPU (% of a core)',
			alone.server.postgres && alone.server.postgres.cpu * 100,
			withReader.server.postgres && withReader.server.postgres.cpu * 100,
			0
		],
		['server RSS max (MB)', alone.server.rssMaxMb, withReader.server.rssMaxMb, 0],
		['its PostgreSQL RSS max (MB)', alone.server.postgres?.rssMaxMb, withReader.server.postgres?.rssMaxMb, 0]
	];
	// What else ran meanwhile: no ratio, the reader is expected to add to the first and nothing to the second.
	const context: Row[] = [
		['editors and reader CPU (% of a core)', alone.editing.clientCpu * 100, withReader.editing.clientCpu * 100, 0],
		['everything else on the machine (CPU %)', otherCpu(alone) * 100, otherCpu(withReader) * 100, 0]
	];
	printTable(
		['editors', 'alone', 'with the reader', 'with ÷ alone'],
		[
			...compared.map(([label, without, withIt, digits]) => [label, figure(without, digits), figure(withIt, digits), ratio(withIt, without)]),
			...context.map(([label, without, withIt, digits]) => [label, figure(without, digits), figure(withIt, digits), ''])
		]
	);

	console.log('');
	const readNames = supervisorReads('', '').map((read) => read.name);
	printTable(
		['supervisor reads (200s)', 'answered', 'p50 (ms)', 'p99 (ms)'],
		readNames.map((name) => {
			const latencies = summarise(reads.times.get(name) ?? []);
			return [name, String(latencies.samples), figure(latencies.p50), figure(latencies.p99)];
		})
	);
	const answered = [...reads.times.values()].reduce((sum, times) => sum + times.length, 0);
	const refused = [...reads.refused.values()].reduce((sum, count) => sum + count, 0);
	console.log(
		`  ${answered} reads answered 200 (${(answered / options.seconds).toFixed(1)}/s); other answers: ${refused === 0 ? 'none' : [...reads.refused].map(([what, count]) => `${count} × ${what}`).join(', ')}`
	);

	const p99Ratio = withReader.editing.peer.p99 / alone.editing.peer.p99;
	return printTargets([
		{
			label: "editors' edit-to-peer p99, with ÷ alone",
			value: Number.isNaN(p99Ratio) ? 'n/a' : `${p99Ratio.toFixed(2)}×`,
			bound: '≤ 1.5×',
			met: p99Ratio <= 1.5
		},
		{ label: 'supervisor reads not answered 200', value: String(refused), bound: '0', met: refused === 0 && answered > 0 }
	]);
}
