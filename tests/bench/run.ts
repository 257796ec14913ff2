import { existsSync } from 'node:fs';
import { BUILD_HANDLER } from '../../server/app-server.ts';
import { benchHistoryLoad } from './history-load.ts';
import { benchInvolvementLoad } from './involvement-load.ts';
import { benchIsolation } from './isolation.ts';
import { benchPlanLoad } from './plan-load.ts';
import { benchSideBySide, SERVER_KINDS, type ServerKind } from './side-by-side.ts';
import { target } from './stats.ts';

// `npm run bench`: performance goals, measured (never asserted in the test suite). Settings via environment
// (README, "Benchmark"): BENCH_ONLY=load,history,involvement,collab,isolation,scale (any of them, comma-separated),
// BENCH_SECONDS and BENCH_WARMUP per measured window, BENCH_SERVERS, BENCH_COLLAB_* and BENCH_SCALE_* (EDITORS, PLANS,
// RATE), BENCH_ISOLATION_HISTORY, BENCH_TEAM_PLANS.
const number = (name: string, fallback: number) => {
	const value = Number(process.env[name] ?? fallback);
	if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
	return value;
};

const SCENARIOS = ['load', 'history', 'involvement', 'collab', 'isolation', 'scale'];
const only =
	process.env.BENCH_ONLY?.split(',')
		.map((name) => name.trim())
		.filter(Boolean) ?? SCENARIOS;
const unknown = only.filter((name) => !SCENARIOS.includes(name));
if (unknown.length > 0) throw new Error(`BENCH_ONLY: unknown ${unknown.join(', ')} (choose from ${SCENARIOS.join(', ')})`);
const servers = (process.env.BENCH_SERVERS?.split(',').map((name) => name.trim()) ?? [...SERVER_KINDS]) as ServerKind[];
if (servers.some((kind) => !SERVER_KINDS.includes(kind))) throw new Error(`BENCH_SERVERS: choose from ${SERVER_KINDS.join(', ')}`);

if (!existsSync(BUILD_HANDLER)) {
	console.error('Build the app first: npm run build');
	process.exit(1);
}

const seconds = number('BENCH_SECONDS', 15);
const warmupSeconds = number('BENCH_WARMUP', 5);
const collab = { editors: number('BENCH_COLLAB_EDITORS', 30), plans: number('BENCH_COLLAB_PLANS', 10), editsPerSecond: number('BENCH_COLLAB_RATE', 300) };
const started = performance.now();
const results: boolean[] = [];
if (only.includes('load')) results.push(await benchPlanLoad(10_000));
if (only.includes('history')) results.push(await benchHistoryLoad(10_000));
if (only.includes('involvement')) results.push(await benchInvolvementLoad(number('BENCH_TEAM_PLANS', 500)));
if (only.includes('collab')) {
	results.push(
		await benchSideBySide({
			title: 'Collaboration, side by side',
			...collab,
			seconds,
			warmupSeconds,
			servers,
			targets: (measured) => {
				const chorus = measured.get('chorus')?.editing.peer;
				const reference = measured.get('y-websocket')?.editing.peer;
				return [
					target('Chorus edit-to-peer p50', chorus?.p50, 2, 'ms'),
					target(
						'Chorus edit-to-peer p99',
						chorus?.p99,
						2 * (reference?.p99 ?? Number.NaN),
						'ms',
						`≤ 2 × y-websocket's (${((reference?.p99 ?? Number.NaN) * 2).toFixed(1)} ms)`
					)
				];
			}
		})
	);
}
if (only.includes('isolation')) {
	results.push(await benchIsolation({ ...collab, historyPerPlan: number('BENCH_ISOLATION_HISTORY', 1000), seconds, warmupSeconds }));
}
if (only.includes('scale')) {
	results.push(
		await benchSideBySide({
			title: 'Collaboration at scale, side by side',
			editors: number('BENCH_SCALE_EDITORS', 200),
			plans: number('BENCH_SCALE_PLANS', 50),
			editsPerSecond: number('BENCH_SCALE_RATE', 1000),
			seconds,
			warmupSeconds,
			servers,
			targets: (measured) => {
				const chorus = measured.get('chorus');
				return [
					target('Chorus edit-to-peer p99', chorus?.editing.peer.p99, 20, 'ms'),
					target('Chorus edit-to-ack p99', chorus?.editing.ack?.p99, 25, 'ms'),
					target('Chorus event-loop delay p99', chorus?.server.loopDelay?.p99, 5, 'ms'),
					target('Chorus RSS (max over the window)', chorus?.server.rssMaxMb, 250, 'MB')
				];
			}
		})
	);
}
console.log(`\nThe benchmark took ${((performance.now() - started) / 60_000).toFixed(1)} min.`);
console.log(results.every(Boolean) ? 'All targets met.' : 'Some targets were not met (see above).');
