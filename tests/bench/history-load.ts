import { createAccount } from '../../db/accounts.ts';
import { addCareTeamMember, createPlan } from '../../db/plans.ts';
import { createSession, generateSessionToken } from '../../db/session.ts';
import { createTeam } from '../../db/teams.ts';
import type { Database } from '../../db/types.ts';
import { writeScriptedHistory, type ScriptedVisit } from '../../server/scripted-history.ts';
import { PLAN_SECTIONS } from '../../src/lib/shared/plan-sections.ts';
import { startTestServer } from '../helpers/test-server.ts';
import { lagLine, startLagProbe, type LagFigures } from './lag-probe.ts';
import { percentile, report } from './stats.ts';

const DAY = 24 * 3600_000;

/**
 * A plan history of `count` logged updates as a person and their worker make it over weeks: visits of ~150 small
 * changes (one per letter and space, as keystrokes arrive), days apart, with deletions, each change stored and
 * summarised as the server does.
 */
async function seedLongHistory(db: Database, count: number): Promise<{ planId: string; cookie: string }> {
	const team = await createTeam(db, 'History benchmark team');
	const person = await createAccount(db, {
		username: 'bench-history-su',
		displayName: 'Robin Example',
		role: 'service_user',
		discipline: null,
		passwordHash: null
	});
	const worker = await createAccount(db, {
		username: 'bench-history-pro',
		displayName: 'Kim Worker',
		role: 'professional',
		discipline: 'nurse',
		passwordHash: null
	});
	if (!team.ok || !person.ok || !worker.ok) throw new Error('seed');
	const plan = await createPlan(db, { title: 'Long history', serviceUserId: person.value.id, teamId: team.value.id });
	if (!plan.ok) throw new Error('seed');
	await addCareTeamMember(db, plan.value.id, worker.value.id, null);
	// Each "word" of a visit is one letter and a space: one logged change each, like typing.
	const keystrokes = 'i w o u l d l i k e t o s w i m a g a i n '.repeat(4);
	const perVisit = keystrokes.trim().split(' ').length + 10;
	const visitCount = Math.ceil(count / perVisit);
	const visits: ScriptedVisit[] = Array.from({ length: visitCount }, (_, index) => {
		const section = PLAN_SECTIONS[index % PLAN_SECTIONS.length]!.id;
		return {
			at: new Date(Date.now() - (visitCount - index) * 3 * DAY),
			by: index % 2 === 0 ? person.value.id : worker.value.id,
			context: 'solo',
			writes: [{ section, text: keystrokes }, ...Array.from({ length: 10 }, () => ({ section, removeLast: 1 }))]
		};
	});
	await writeScriptedHistory(db, { planId: plan.value.id, visits });
	const token = generateSessionToken();
	await createSession(db, token, worker.value.id);
	return { planId: plan.value.id, cookie: `session=${token}` };
}

/**
 * Times the history API (first page), the authorship API, a version view and a comparison on a plan with `count`
 * logged updates, and how long the server's event loop stalls meanwhile (a socket pinging it).
 */
export async function benchHistoryLoad(count: number): Promise<boolean> {
	let seeded: { planId: string; cookie: string } | undefined;
	const server = await startTestServer({}, async (db) => {
		seeded = await seedLongHistory(db, count);
	});
	try {
		const { planId, cookie } = seeded!;
		const probe = await startLagProbe(server.url, planId, cookie);
		const time = async (path: string) => {
			const started = performance.now();
			const response = await fetch(`${server.url}${path}`, { headers: { cookie } });
			if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
			await response.text();
			return performance.now() - started;
		};
		const lags: [string, LagFigures][] = [];
		const measure = async (label: string, path: string, runs = 20) => {
			for (let run = 0; run < 3; run++) await time(path); // warm-up
			probe.reset();
			const times: number[] = [];
			for (let run = 0; run < runs; run++) times.push(await time(path));
			lags.push([label, probe.figures()]);
			return times;
		};
		const history = await measure('history', `/api/plans/${planId}/history?limit=20`);
		const older = await measure('history, middle', `/api/plans/${planId}/history?limit=20&before=${Math.floor(count / 2)}`);
		const authorship = await measure('authorship', `/api/plans/${planId}/authorship`);
		const version = await measure('version view', `/plans/${planId}/at/${Math.floor(count / 2)}/__data.json`, 10);
		const compare = await measure('compare', `/plans/${planId}/compare/__data.json?from=1&to=${count}`, 10);
		probe.close();
		console.log(`\nHistory: a plan with ${count.toLocaleString('en')} logged updates, over HTTP from the built server (embedded database)`);
		const met = [
			report('history, newest 20 sessions, p95', percentile(history, 95), 200),
			report('history, a page in the middle, p95', percentile(older, 95), 200),
			report('authorship, p95', percentile(authorship, 95), 200)
		].every(Boolean);
		console.log(`  version view (replay to the middle), p95 ${percentile(version, 95).toFixed(1).padStart(9)} ms`);
		console.log(`  compare (whole log, deletions kept), p95 ${percentile(compare, 95).toFixed(1).padStart(8)} ms`);
		console.log('  event-loop stalls meanwhile (socket pings):');
		for (const [label, figures] of lags) console.log(lagLine(label, figures));
		return met;
	} finally {
		await server.dispose();
	}
}
