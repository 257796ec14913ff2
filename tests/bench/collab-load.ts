import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { createAccount } from '../../db/accounts.ts';
import { addCareTeamMember, createPlan } from '../../db/plans.ts';
import { createSession, generateSessionToken } from '../../db/session.ts';
import { createTeam } from '../../db/teams.ts';
import * as Y from 'yjs';
import { addGoal, goalsOf } from '../../src/lib/editor/goals.ts';
import { connectCollabClient, type CollabClient } from '../helpers/collab-client.ts';
import { startTestServer } from '../helpers/test-server.ts';
import { percentile, report } from './stats.ts';

export interface CollabLoadOptions {
	editors: number;
	plans: number;
	updatesPerSecond: number;
	seconds: number;
	warmupSeconds: number;
}

interface Editor {
	key: string;
	client: CollabClient;
	sent: Map<number, number>;
	seq: number;
}

/**
 * N stock y-websocket editors on M plans, each typing at a steady rate against the built server with
 * acknowledgement after commit. Edit-to-peer latency: each edit is numbered in its editor's goal and every other
 * editor of that plan looks up when it was sent (all clients share this process's clock); edit-to-ack is the time until the
 * server's "saved" message covers the edit.
 */
export async function benchCollabLoad(options: CollabLoadOptions): Promise<boolean> {
	const perPlan = Math.max(2, Math.round(options.editors / options.plans));
	const cookies: { planId: string; cookie: string }[] = [];
	const server = await startTestServer({}, async (db) => {
		const team = await createTeam(db, 'Benchmark team');
		if (!team.ok) throw new Error('team');
		for (let p = 0; p < options.plans; p++) {
			const owner = await createAccount(db, { username: `bench-su-${p}`, displayName: `Person ${p}`, role: 'service_user', discipline: null, passwordHash: null });
			if (!owner.ok) throw new Error('account');
			const plan = await createPlan(db, { title: `Plan ${p}`, serviceUserId: owner.value.id, teamId: team.value.id });
			if (!plan.ok) throw new Error('plan');
			const people = [owner.value.id];
			for (let e = 1; e < perPlan; e++) {
				const professional = await createAccount(db, { username: `bench-pro-${p}-${e}`, displayName: `Worker ${p}.${e}`, role: 'professional', discipline: 'nurse', passwordHash: null });
				if (!professional.ok) throw new Error('account');
				await addCareTeamMember(db, plan.value.id, professional.value.id, null);
				people.push(professional.value.id);
			}
			for (const userId of people) {
				const token = generateSessionToken();
				await createSession(db, token, userId);
				cookies.push({ planId: plan.value.id, cookie: `session=${token}` });
			}
		}
	});

	const peerLatencies: number[] = [];
	const sendTimes = new Map<string, number>();
	const ackLatencies: number[] = [];
	let acknowledged = 0;
	let measuring = false;
	const editors: Editor[] = [];
	try {
		for (const [index, { planId, cookie }] of cookies.entries()) {
			const client = connectCollabClient(server.url, planId, { cookie });
			const editor: Editor = { key: `e${index}`, client, sent: new Map(), seq: 0 };
			client.saves.subscribe((state) => {
				if (state !== 'saved') return;
				const now = performance.now();
				for (const sentAt of editor.sent.values()) {
					if (measuring) {
						ackLatencies.push(now - sentAt);
						acknowledged += 1;
					}
				}
				editor.sent.clear();
			});
			// Each editor types into its own goal and numbers each edit in the goal's order field (the plan format
			// has no room for anything else); peers look the edit's sending time up by goal id and number.
			goalsOf(client.doc).observeDeep((events, transaction) => {
				if (transaction.local || !measuring) return;
				const now = performance.now();
				for (const event of events) {
					if (!(event instanceof Y.YMapEvent) || !event.keysChanged.has('order')) continue;
					const sentAt = sendTimes.get(`${String(event.target.get('id'))}:${String(event.target.get('order'))}`);
					if (sentAt !== undefined) peerLatencies.push(now - sentAt);
				}
			});
			editors.push(editor);
		}
		await Promise.all(editors.map((editor) => editor.client.synced()));
		const goalTexts = new Map<Editor, Y.Text>();
		for (const editor of editors) {
			const id = addGoal(editor.client.doc, 'hope', 'x');
			goalTexts.set(editor, goalsOf(editor.client.doc).toArray().find((goal) => goal.get('id') === id)!.get('text') as Y.Text);
			editor.key = id;
		}

		const intervalMs = (1000 * editors.length) / options.updatesPerSecond;
		const timers = editors.map((editor) =>
			setTimeout(() => {
				const type = () => {
					editor.seq += 1;
					const now = performance.now();
					editor.sent.set(editor.seq, now);
					sendTimes.set(`${editor.key}:${editor.seq}`, now);
					editor.client.doc.transact(() => {
						const text = goalTexts.get(editor)!;
						text.insert(text.length, 'x');
						goalsOf(editor.client.doc).toArray().find((goal) => goal.get('id') === editor.key)!.set('order', editor.seq);
					});
				};
				type();
				timers.push(setInterval(type, intervalMs) as unknown as NodeJS.Timeout);
			}, Math.random() * intervalMs)
		);
		await new Promise((resolve) => setTimeout(resolve, options.warmupSeconds * 1000));
		measuring = true;
		const serverCpuStart = cpuSeconds(server.pid());
		const clientCpuStart = process.cpuUsage();
		const started = performance.now();
		await new Promise((resolve) => setTimeout(resolve, options.seconds * 1000));
		measuring = false;
		const elapsed = (performance.now() - started) / 1000;
		const serverCpu = (cpuSeconds(server.pid()) - serverCpuStart) / elapsed;
		const clientUsage = process.cpuUsage(clientCpuStart);
		const clientCpu = (clientUsage.user + clientUsage.system) / 1e6 / elapsed;
		for (const timer of timers) clearInterval(timer);

		const status = readFileSync(`/proc/${server.pid()}/status`, 'utf8');
		const rssMb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
		const peakMb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;

		console.log(`\nCollaboration load: ${editors.length} editors on ${options.plans} plans, ${options.updatesPerSecond} updates/s offered, ${options.seconds} s measured`);
		console.log(`  machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, server and clients on one machine`);
		console.log(`  acknowledged updates/s            ${(acknowledged / elapsed).toFixed(0).padStart(9)}`);
		console.log(`  edit-to-peer p50                  ${percentile(peerLatencies, 50).toFixed(1).padStart(9)} ms   (${peerLatencies.length} samples)`);
		const peerMet = report('edit-to-peer p99', percentile(peerLatencies, 99), 50);
		console.log(`  edit-to-ack p50                   ${percentile(ackLatencies, 50).toFixed(1).padStart(9)} ms   (${ackLatencies.length} samples)`);
		const ackMet = report('edit-to-ack p99', percentile(ackLatencies, 99), 100);
		console.log(`  CPU used: server ${(serverCpu * 100).toFixed(0)} %, simulated editors ${(clientCpu * 100).toFixed(0)} % (of one core)`);
		console.log(`  server RSS now / peak             ${rssMb.toFixed(0).padStart(9)} MB / ${peakMb.toFixed(0)} MB`);
		return peerMet && ackMet;
	} finally {
		for (const editor of editors) editor.client.destroy();
		await server.dispose();
	}
}

/** CPU seconds a process has used so far (user + system), from /proc. */
function cpuSeconds(pid: number | undefined): number {
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
	return (Number(fields[11]) + Number(fields[12])) / 100;
}
