import { createAccount } from '../../db/accounts.ts';
import { addCareTeamMember, createPlan } from '../../db/plans.ts';
import { createSession, generateSessionToken } from '../../db/session.ts';
import { addTeamMember, createTeam } from '../../db/teams.ts';
import { writeScriptedHistory, type ScriptedVisit } from '../../server/scripted-history.ts';
import { CHIME_DOMAINS, PLAN_SECTIONS } from '../../src/lib/shared/plan-sections.ts';
import { startTestServer } from '../helpers/test-server.ts';
import { lagLine, startLagProbe } from './lag-probe.ts';
import { percentile, report } from './stats.ts';

const WORDS = 'I want to feel settled at home and see my sister more often walking helps me when things get hard my dog matters a lot to me'.split(' ');
const DAY = 24 * 3600_000;

/** A small deterministic random source, so every run measures the same team. */
function randomSource(seed: number): () => number {
	let state = seed;
	return () => {
		state = (state + 0x6d2b79f5) | 0;
		let t = Math.imul(state ^ (state >>> 15), 1 | state);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Times the involvement dashboard (export JSON and the page) for a team of `plans` plans with a year of history each. */
export async function benchInvolvementLoad(plans: number): Promise<boolean> {
	let cookie = '';
	let teamId = '';
	let firstPlanId = '';
	let rows = 0;
	const seedStarted = performance.now();
	const server = await startTestServer({}, async (db) => {
		const random = randomSource(42);
		const team = await createTeam(db, 'Involvement benchmark team');
		const supervisor = await createAccount(db, {
			username: 'bench-supervisor',
			displayName: 'Bench Supervisor',
			role: 'supervisor',
			discipline: null,
			passwordHash: null
		});
		if (!team.ok || !supervisor.ok) throw new Error('seed');
		teamId = team.value.id;
		await addTeamMember(db, teamId, supervisor.value.id);
		const professionals: string[] = [];
		for (let index = 0; index < 20; index++) {
			const created = await createAccount(db, {
				username: `bench-worker-${index}`,
				displayName: `Worker ${index}`,
				role: 'professional',
				discipline: 'nurse',
				passwordHash: null
			});
			if (!created.ok) throw new Error('seed');
			professionals.push(created.value.id);
		}
		const now = Date.now();
		for (let index = 0; index < plans; index++) {
			const person = await createAccount(db, {
				username: `bench-person-${index}`,
				displayName: `Person ${index}`,
				role: 'service_user',
				discipline: null,
				passwordHash: null
			});
			if (!person.ok) throw new Error('seed');
			const review = new Date(now + (random() * 240 - 60) * DAY).toISOString().slice(0, 10);
			const plan = await createPlan(db, { title: `Recovery plan ${index}`, serviceUserId: person.value.id, teamId, reviewDate: review });
			if (!plan.ok) throw new Error('seed');
			firstPlanId ||= plan.value.id;
			const worker = professionals[index % professionals.length]!;
			await addCareTeamMember(db, plan.value.id, worker, null);
			const share = random();
			const visits: ScriptedVisit[] = [];
			const count = 8 + Math.floor(random() * 16);
			for (let visit = 0; visit < count; visit++) {
				const byPerson = random() < share;
				const joint = random() < 0.3;
				const sentence = Array.from({ length: 8 + Math.floor(random() * 20) }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' ') + '. ';
				const section = PLAN_SECTIONS[Math.floor(random() * (random() < 0.7 ? PLAN_SECTIONS.length : PLAN_SECTIONS.length - 1))]!.id;
				visits.push({
					at: new Date(now - (365 - (visit * 360) / count) * DAY),
					by: byPerson ? person.value.id : worker,
					context: joint ? 'joint' : 'solo',
					writes:
						random() < 0.25
							? [{ goal: `goal-${index}-${visit % 3}`, domain: CHIME_DOMAINS[visit % CHIME_DOMAINS.length]!, text: sentence }]
							: [{ section, text: sentence }, ...(random() < 0.2 ? [{ section, removeLast: 5 }] : [])],
					...(joint ? { appointment: { endedBy: worker } } : {})
				});
			}
			const agreedAt = new Date(now - 20 * DAY);
			const written = await writeScriptedHistory(db, {
				planId: plan.value.id,
				visits,
				versions:
					random() < 0.5
						? [
								{
									afterVisit: count - 1,
									name: 'Agreed plan',
									kind: 'agreement',
									createdBy: worker,
									signOffs: [
										{ userId: worker, decision: 'agree', at: agreedAt },
										{ userId: person.value.id, decision: 'agree', at: agreedAt }
									]
								}
							]
						: []
			});
			rows += written.lastSeq;
		}
		const token = generateSessionToken();
		await createSession(db, token, supervisor.value.id);
		cookie = `session=${token}`;
	});
	try {
		const seeded = performance.now() - seedStarted;
		const time = async (path: string) => {
			const started = performance.now();
			const response = await fetch(`${server.url}${path}`, { headers: { cookie } });
			if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
			await response.text();
			return performance.now() - started;
		};
		// A supervisor's read-only socket on one of the plans: how long the server's event loop stalls meanwhile.
		const probe = await startLagProbe(server.url, firstPlanId, cookie);
		// The first look measures whatever the server's start-up sweep has not reached yet.
		const first = await time(`/api/audit/involvement?team=${teamId}&format=json`);
		const firstLag = probe.figures();
		probe.reset();
		// Steady state: the server's start-up sweep (10 s after start) has run, so changes alone mark plans as due.
		await new Promise((resolve) => setTimeout(resolve, 12_000));
		const sweepLag = probe.figures();
		probe.close();
		const measure = async (path: string) => {
			const times: number[] = [];
			for (let run = 0; run < 15; run++) times.push(await time(path));
			return times;
		};
		const api = await measure(`/api/audit/involvement?team=${teamId}&format=json`);
		const page = await measure(`/audit?team=${teamId}`);
		console.log(`\nInvolvement audit: a team of ${plans} plans (${rows.toLocaleString('en')} logged changes over a year), over HTTP (embedded database)`);
		console.log(`  seeding, then the first look (measures everything) ${(seeded / 1000).toFixed(1)} s, ${(first / 1000).toFixed(1)} s`);
		console.log('  event-loop stalls (socket pings):');
		console.log(lagLine('during the first look', firstLag));
		console.log(lagLine('the next 12 s (start-up sweep)', sweepLag));
		return [report('export (JSON), p95', percentile(api, 95), 500), report('dashboard page, p95', percentile(page, 95), 500)].every(Boolean);
	} finally {
		await server.dispose();
	}
}
