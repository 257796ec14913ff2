import { existsSync } from 'node:fs';
import { BUILD_HANDLER } from '../../server/app-server.ts';
import { benchCollabLoad } from './collab-load.ts';
import { benchHistoryLoad } from './history-load.ts';
import { benchInvolvementLoad } from './involvement-load.ts';
import { benchPlanLoad } from './plan-load.ts';

// `npm run bench`: performance goals, measured (never asserted in the test suite). Settings via environment:
// BENCH_EDITORS, BENCH_PLANS, BENCH_RATE (updates/s in total), BENCH_SECONDS, BENCH_ONLY=collab|load|history|involvement.
const number = (name: string, fallback: number) => {
	const value = Number(process.env[name] ?? fallback);
	if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
	return value;
};

if (!existsSync(BUILD_HANDLER)) {
	console.error('Build the app first: npm run build');
	process.exit(1);
}

const only = process.env.BENCH_ONLY;
const results: boolean[] = [];
if (!only || only === 'load') results.push(await benchPlanLoad(10_000));
if (!only || only === 'history') results.push(await benchHistoryLoad(10_000));
if (!only || only === 'involvement') results.push(await benchInvolvementLoad(number('BENCH_TEAM_PLANS', 500)));
if (!only || only === 'collab') {
	results.push(
		await benchCollabLoad({
			editors: number('BENCH_EDITORS', 200),
			plans: number('BENCH_PLANS', 50),
			updatesPerSecond: number('BENCH_RATE', 1000),
			seconds: number('BENCH_SECONDS', 45),
			warmupSeconds: 5
		})
	);
}
console.log(results.every(Boolean) ? '\nAll targets met.' : '\nSome targets were not met (see above).');
