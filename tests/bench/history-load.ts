import { createAccount } from '../../db/accounts.ts';
import { addCareTeamMember, createPlan } from '../../db/plans.ts';
import { createSession, generateSessionToken } from '../../db/session.ts';
import { createTeam } from '../../db/teams.ts';
import type { Database } from '../../db/types.ts';
import { writeScriptedHistory, type ScriptedVisit } from '../../server/scripted-history.ts';
import { PLAN_SECTIONS } from '../../src/lib/shared/plan-sections.ts';
import { startTestServer } from '../helpers/test-server.ts';
import { percentile, report } from './stats.ts';

const DAY = 24 * 3600_000;

/**
 * A plan history of `count` logged updates as a person and their worker make it over weeks: visits of ~150 small
 * changes (one per letter and space, as keystrokes arrive), days apart, with deletions, each change stored and
 * summarised as the server does.
 */
async function seedLongHistory(db: Database, count: number): Promise<{ planId: string; cookie: string }> {
	const team = await createTeam(db, 'History benchmark team');
	const person = await createAccount(db, { username: 'bench-history-su', displayName: 'Robin Example', role: 'service_user', discipline: null, passwordHash: null });
	const worker = await createAccount(db, { username: 'bench-history-pro', displayName: 'Kim Worker', role: 'professional', discipline: 'nurse', passwordHash: null });
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

/** Times the history API (first page) and the authorship API on a plan with `count` logged updates. */
export async function benchHistoryLoad(count: number): Promise<boolean> {
	let seeded: { planId: string; cookie: string } | undefined;
	const server = await startTestServer({}, async (db) => {
		seeded = await seedLongHistory(db, count);
	});
	try {
		const { planId, cookie } = seeded!;
		const time = async (path: string) => {
			const started = performance.now();
			const response = await fetch(`${server.url}${path}`, { headers: { cookie } });
			if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
			await response.json();
			return performance.now() - started;
		};
		const measure = async (path: string) => {
			for (let run = 0; run < 3; run++) await time(path); // warm-up
			const times: number[] = [];
			for (let run = 0; run < 20; run++) times.push(await time(path));
			return times;
		};
		const history = await measure(`/api/plans/${planId}/history?limit=20`);
		const older = await measure(`/api/plans/${planId}/history?limit=20&before=${Math.floor(count / 2)}`);
		const authorship = await measure(`/api/plans/${planId}/authorship`);
		console.log(`\nHistory: a plan with ${count.toLocaleString('en')} logged updates, over HTTP from the built server (embedded database)`);
		return [
			report('history, newest 20 sessions, p95', percentile(history, 95), 200),
			report('history, a page in the middle, p95', percentile(older, 95), 200),
			report('authorship, p95', percentile(authorship, 95), 200)
		].every(Boolean);
	} finally {
		await server.dispose();
	}
}
