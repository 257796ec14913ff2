import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { connectCollabClient } from '../helpers/collab-client.ts';
import { ROOT } from '../helpers/processes.ts';
import { EVENT_LOOP_PROBE, type WatchedProcess } from './server-figures.ts';

/** One editor's document, kept in sync with a server by that server's own client. */
export interface EditorConnection {
	doc: Y.Doc;
	/** Resolves when the first sync with the server is complete. */
	synced(): Promise<void>;
	/** Calls `listener` whenever the server has acknowledged everything this editor sent; absent when it never does. */
	onAllAcknowledged?(listener: () => void): void;
	destroy(): void;
}

/** A collaboration server under benchmark, running in a child process with the event-loop probe loaded. */
export interface BenchServer extends WatchedProcess {
	name: string;
	/** What an acknowledgement means on this server; null when it sends none. */
	acknowledges: string | null;
	/** Resolves once the server's own start-up work is over, so that a measured window sees it typing only. */
	settled(): Promise<void>;
	/** Connects the editor in `slot` of plan number `plan`. */
	connect(plan: number, slot: number): EditorConnection;
	dispose(): Promise<void>;
}

/** A server process started by the benchmark itself, with its output kept. */
interface ServerProcess {
	pid: number;
	port: number;
	output(): string;
	stop(): Promise<void>;
}

/** Starts `node --import <probe> …args` and resolves with the port once its output matches `ready`. */
function startServerProcess(name: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp, port = 0): Promise<ServerProcess> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['--import', EVENT_LOOP_PROBE, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
		let log = '';
		const timer = setTimeout(() => reject(new Error(`${name} did not start within 30 s:\n${log}`)), 30_000);
		const exited = new Promise<void>((done) => child.once('exit', () => done()));
		child.once('exit', (code, signal) => {
			clearTimeout(timer);
			reject(new Error(`${name} exited (${code ?? signal}) before it was ready:\n${log}`));
		});
		child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
		child.stdout.on('data', (chunk: Buffer) => {
			log += chunk.toString();
			const match = ready.exec(log);
			if (!match) return;
			clearTimeout(timer);
			resolve({
				pid: child.pid!,
				port: port || Number(match[1]),
				output: () => log,
				stop: async () => {
					if (child.exitCode !== null || child.signalCode !== null) return;
					child.kill('SIGTERM');
					const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
					await exited;
					clearTimeout(killer);
				}
			});
		});
	});
}

/** A port nobody listens on now (for a server that cannot report the one it was given). */
function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as { port: number };
			probe.close(() => resolve(port));
		});
	});
}

/**
 * The reference y-websocket server (`@y/websocket-server`, its own `y-websocket-server` script): in memory, no
 * authentication, no storage. Its editors are the same stock y-websocket clients as Chorus's.
 */
export async function startReferenceServer(): Promise<BenchServer> {
	const script = join(dirname(createRequire(import.meta.url).resolve('@y/websocket-server/package.json')), 'src', 'server.js');
	const port = await freePort();
	const env: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', PORT: String(port) };
	delete env.YPERSISTENCE;
	delete env.CALLBACK_URL;
	const server = await startServerProcess('the y-websocket server', [script], env, /running at/, port);
	return {
		name: 'y-websocket',
		acknowledges: null,
		settled: async () => {},
		pid: server.pid,
		output: server.output,
		connect(plan) {
			const client = connectCollabClient(`http://127.0.0.1:${server.port}`, `plan-${plan}`);
			return { doc: client.doc, synced: client.synced, destroy: client.destroy };
		},
		dispose: server.stop
	};
}

/** Hocuspocus 3 (tests/bench/hocuspocus-server.ts): in memory, no extensions; its editors use its own provider. */
export async function startHocuspocusServer(): Promise<BenchServer> {
	const server = await startServerProcess('Hocuspocus', ['--import', 'tsx', 'tests/bench/hocuspocus-server.ts'], { ...process.env }, /listening on port (\d+)/);
	return {
		name: 'Hocuspocus',
		acknowledges: 'sent once applied in memory',
		settled: async () => {},
		pid: server.pid,
		output: server.output,
		connect(plan) {
			const doc = new Y.Doc();
			const socket = new HocuspocusProviderWebsocket({ url: `ws://127.0.0.1:${server.port}`, WebSocketPolyfill: WebSocket });
			const provider = new HocuspocusProvider({ websocketProvider: socket, name: `plan-${plan}`, document: doc });
			provider.attach();
			provider.setAwarenessField('user', {});
			return {
				doc,
				synced: () =>
					new Promise((resolve) => {
						if (provider.isSynced) return resolve();
						provider.on('synced', ({ state }: { state: boolean }) => {
							if (state) resolve();
						});
					}),
				onAllAcknowledged(listener) {
					provider.on('unsyncedChanges', ({ number }: { number: number }) => {
						if (number === 0) listener();
					});
				},
				destroy() {
					provider.destroy();
					socket.destroy();
					doc.destroy();
				}
			};
		},
		dispose: server.stop
	};
}
