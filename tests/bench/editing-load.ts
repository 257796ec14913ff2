import * as Y from 'yjs';
import { addGoal, goalsOf } from '../../src/lib/editor/goals.ts';
import { watchServer, type ServerFigures } from './server-figures.ts';
import { percentile } from './stats.ts';
import type { BenchServer, EditorConnection } from './bench-servers.ts';

/** How many editors type where, and how fast all of them together. */
export interface EditingLayout {
	plans: number;
	editorsPerPlan: number;
	editsPerSecond: number;
}

/** Percentiles of one latency, in ms. */
export interface Latencies {
	p50: number;
	p99: number;
	max: number;
	samples: number;
}

/** What the editors saw over one measured window. */
export interface EditingFigures {
	sentPerSecond: number;
	/** From an edit to the moment each other editor of the plan has it. */
	peer: Latencies;
	/** From an edit to the server's acknowledgement that covers it; null for a server that never acknowledges. */
	ack: Latencies | null;
	/** Share of one core the simulated editors (this process) used. */
	clientCpu: number;
}

/** Editors typing steadily against one server until `stop`. */
export interface EditingLoad {
	editors: number;
	/** Measures the next `seconds`: the editors' latencies and the server process's own figures over the same window. */
	measure(seconds: number): Promise<{ editing: EditingFigures; server: ServerFigures }>;
	stop(): void;
}

interface Editor {
	connection: EditorConnection;
	goalId: string;
	text: Y.Text;
	goal: Y.Map<unknown>;
	seq: number;
	/** Sending times of this editor's edits not yet acknowledged, by number. */
	unacknowledged: Map<number, number>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const summarise = (values: number[]): Latencies => ({
	p50: percentile(values, 50),
	p99: percentile(values, 99),
	max: values.length === 0 ? Number.NaN : values.reduce((highest, value) => Math.max(highest, value)),
	samples: values.length
});

/**
 * Connects `plans × editorsPerPlan` editors to a server and starts them typing, each into its own goal at
 * `editsPerSecond / editors` edits per second from a random offset. The same code measures every server:
 * each edit is numbered in its goal's order field, and every other editor of the plan looks up when it was sent
 * (all clients share this process's clock); an acknowledgement covers everything its editor sent before it.
 */
export async function startEditing(server: BenchServer, layout: EditingLayout): Promise<EditingLoad> {
	const connections: EditorConnection[] = [];
	for (let plan = 0; plan < layout.plans; plan++) {
		for (let slot = 0; slot < layout.editorsPerPlan; slot++) connections.push(server.connect(plan, slot));
	}
	const closeAll = () => {
		for (const connection of connections) connection.destroy();
	};
	try {
		await Promise.race([
			Promise.all(connections.map((connection) => connection.synced())),
			sleep(60_000).then(() => {
				throw new Error(`${server.name}: the editors did not all sync within 60 s`);
			})
		]);
	} catch (error) {
		closeAll();
		throw error;
	}

	const sendTimes = new Map<string, number>();
	let peerLatencies: number[] = [];
	let ackLatencies: number[] = [];
	let sent = 0;
	let measuring = false;
	const editors: Editor[] = connections.map((connection) => {
		const goalId = addGoal(connection.doc, 'hope', 'x');
		const goal = goalsOf(connection.doc)
			.toArray()
			.find((candidate) => candidate.get('id') === goalId)!;
		return { connection, goalId, goal, text: goal.get('text') as Y.Text, seq: 0, unacknowledged: new Map() };
	});
	for (const editor of editors) {
		editor.connection.onAllAcknowledged?.(() => {
			if (measuring) {
				const now = performance.now();
				for (const sentAt of editor.unacknowledged.values()) ackLatencies.push(now - sentAt);
			}
			editor.unacknowledged.clear();
		});
		goalsOf(editor.connection.doc).observeDeep((events, transaction) => {
			if (transaction.local || !measuring) return;
			const now = performance.now();
			for (const event of events) {
				if (!(event instanceof Y.YMapEvent) || !event.keysChanged.has('order')) continue;
				const sentAt = sendTimes.get(`${String(event.target.get('id'))}:${String(event.target.get('order'))}`);
				if (sentAt !== undefined) peerLatencies.push(now - sentAt);
			}
		});
	}

	const type = (editor: Editor) => {
		editor.seq += 1;
		const now = performance.now();
		editor.unacknowledged.set(editor.seq, now);
		sendTimes.set(`${editor.goalId}:${editor.seq}`, now);
		if (measuring) sent += 1;
		editor.connection.doc.transact(() => {
			editor.text.insert(editor.text.length, 'x');
			editor.goal.set('order', editor.seq);
		});
	};
	const intervalMs = (1000 * editors.length) / layout.editsPerSecond;
	const timers: NodeJS.Timeout[] = [];
	for (const editor of editors) {
		timers.push(
			setTimeout(() => {
				type(editor);
				timers.push(setInterval(() => type(editor), intervalMs));
			}, Math.random() * intervalMs)
		);
	}

	return {
		editors: editors.length,
		async measure(seconds) {
			peerLatencies = [];
			ackLatencies = [];
			sent = 0;
			const watch = await watchServer(server);
			const clientCpuStart = process.cpuUsage();
			const started = performance.now();
			measuring = true;
			await sleep(seconds * 1000);
			measuring = false;
			const elapsed = (performance.now() - started) / 1000;
			const clientUsage = process.cpuUsage(clientCpuStart);
			const serverFigures = await watch.finish();
			return {
				editing: {
					sentPerSecond: sent / elapsed,
					peer: summarise(peerLatencies),
					ack: server.acknowledges ? summarise(ackLatencies) : null,
					clientCpu: (clientUsage.user + clientUsage.system) / 1e6 / elapsed
				},
				server: serverFigures
			};
		},
		stop() {
			for (const timer of timers) clearInterval(timer);
			closeAll();
		}
	};
}
