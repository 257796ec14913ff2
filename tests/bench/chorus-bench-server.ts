import { join } from 'node:path';
import { createAccount } from '../../db/accounts.ts';
import { addCareTeamMember, createPlan } from '../../db/plans.ts';
import { createSession, generateSessionToken } from '../../db/session.ts';
import { addTeamMember, createTeam } from '../../db/teams.ts';
import type { Database } from '../../db/types.ts';
import { writeScriptedHistory, type ScriptedVisit } from '../../server/scripted-history.ts';
import { PLAN_SECTIONS } from '../../src/lib/shared/plan-sections.ts';
import { connectCollabClient } from '../helpers/collab-client.ts';
import { startTestServer } from '../helpers/test-server.ts';
import type { BenchServer } from './bench-servers.ts';
import { EVENT_LOOP_PROBE } from './server-figures.ts';

/** The built Chorus server with a team of plans, each with its editors' accounts and a supervisor over the team. */
export interface ChorusBenchServer extends BenchServer {
	url: string;
	teamId: string;
	planIds: string[];
	/** A signed-in session of the team's supervisor (`session=…`). */
	supervisorCookie: string;
}

export interface ChorusTeamLayout {
	plans: number;
	/** Slot 0 is the person whose plan it is, the others professionals on its care team. */
	editorsPerPlan: number;
	/** Logged changes each plan already has (visits by the person and a worker, one agreed version); 0 for none. */
	historyPerPlan: number;
}

// The involvement tracker's start-up sweep begins 10 s after start (server/involvement/tracker.ts) and measures every
// plan once; a few seconds later it is done and only changes mark plans.
const START_UP_WORK_MS = 15_000;

const SENTENCE = 'I would like to get back to swimming on Tuesdays and see my sister more often because walking helps me '.split(' ');
const DAY = 24 * 3600_000;

/** A plan's past: visits of a sentence (one logged change per word) by the person and their worker, then an agreed version. */
async function writePastVisits(db: Database, planId: string, person: string, worker: string, changes: number): Promise<void> {
	const perVisit = SENTENCE.length;
	const count = Math.ceil(changes / perVisit);
	const visits: ScriptedVisit[] = Array.from({ length: count }, (_, index) => ({
		at: new Date(Date.now() - (count - index) * DAY),
		by: index % 2 === 0 ? person : worker,
		context: index % 3 === 0 ? 'joint' : 'solo',
		writes: [{ section: PLAN_SECTIONS[index % PLAN_SECTIONS.length]!.id, text: SENTENCE.join(' ') }]
	}));
	const agreedAt = new Date(Date.now() - DAY / 2);
	await writeScriptedHistory(db, {
		planId,
		visits,
		versions: [
			{
				afterVisit: count - 1,
				name: 'Agreed plan',
				kind: 'agreement',
				createdBy: worker,
				signOffs: [
					{ userId: worker, decision: 'agree', at: agreedAt },
					{ userId: person, decision: 'agree', at: agreedAt }
				]
			}
		]
	});
}

/**
 * Starts the built server (tests/helpers/test-server.ts) with the event-loop probe loaded (through
 * CHORUS_SERVER_NODE_ARGS) on a seeded team. Editors are stock y-websocket clients with their person's session
 * cookie; an acknowledgement is the server's "saved" message, sent after the commit.
 */
export async function startChorus(layout: ChorusTeamLayout): Promise<ChorusBenchServer> {
	const cookies: string[][] = [];
	const planIds: string[] = [];
	let teamId = '';
	let supervisorCookie = '';
	const seed = async (db: Database) => {
		const team = await createTeam(db, 'Benchmark team');
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
		const signIn = async (userId: string) => {
			const token = generateSessionToken();
			await createSession(db, token, userId);
			return `session=${token}`;
		};
		supervisorCookie = await signIn(supervisor.value.id);
		for (let plan = 0; plan < layout.plans; plan++) {
			const owner = await createAccount(db, {
				username: `bench-su-${plan}`,
				displayName: `Person ${plan}`,
				role: 'service_user',
				discipline: null,
				passwordHash: null
			});
			if (!owner.ok) throw new Error('seed');
			const created = await createPlan(db, { title: `Plan ${plan}`, serviceUserId: owner.value.id, teamId });
			if (!created.ok) throw new Error('seed');
			const people = [owner.value.id];
			for (let slot = 1; slot < layout.editorsPerPlan; slot++) {
				const professional = await createAccount(db, {
					username: `bench-pro-${plan}-${slot}`,
					displayName: `Worker ${plan}.${slot}`,
					role: 'professional',
					discipline: 'nurse',
					passwordHash: null
				});
				if (!professional.ok) throw new Error('seed');
				await addCareTeamMember(db, created.value.id, professional.value.id, null);
				people.push(professional.value.id);
			}
			if (layout.historyPerPlan > 0) await writePastVisits(db, created.value.id, people[0]!, people[1] ?? people[0]!, layout.historyPerPlan);
			planIds.push(created.value.id);
			cookies.push(await Promise.all(people.map(signIn)));
		}
	};

	const userArgs = process.env.CHORUS_SERVER_NODE_ARGS;
	process.env.CHORUS_SERVER_NODE_ARGS = ['--import', EVENT_LOOP_PROBE, userArgs].filter(Boolean).join(' ');
	let server;
	try {
		server = await startTestServer({}, seed);
	} finally {
		if (userArgs === undefined) delete process.env.CHORUS_SERVER_NODE_ARGS;
		else process.env.CHORUS_SERVER_NODE_ARGS = userArgs;
	}
	const pid = server.pid()!;
	const startedAt = performance.now();
	return {
		name: 'Chorus',
		acknowledges: 'sent after the commit',
		settled: () => new Promise((resolve) => setTimeout(resolve, Math.max(0, startedAt + START_UP_WORK_MS - performance.now()))),
		url: server.url,
		teamId,
		planIds,
		supervisorCookie,
		pid,
		output: server.output,
		postgresDir: server.dataDir && join(server.dataDir, 'postgres'),
		connect(plan, slot) {
			const client = connectCollabClient(server.url, planIds[plan]!, { cookie: cookies[plan]![slot]! });
			return {
				doc: client.doc,
				synced: client.synced,
				onAllAcknowledged(listener) {
					client.saves.subscribe((state) => {
						if (state === 'saved') listener();
					});
				},
				destroy: client.destroy
			};
		},
		dispose: server.dispose
	};
}
