import WebSocket from 'ws';
import { percentile } from './stats.ts';

export interface LagFigures {
	samples: number;
	p50: number;
	p99: number;
	max: number;
}

export interface LagProbe {
	/** Starts a new measuring window (drops what was measured so far, and pings sent before). */
	reset(): void;
	/** The figures of the window so far. */
	figures(): LagFigures;
	close(): void;
}

/**
 * Measures how responsive the server's event loop is, as someone typing would feel it: a collaboration socket
 * that pings the server every few milliseconds. `ws` answers pings on the server's main thread, so a pong's delay
 * is how long anything held that thread (plus a loopback round trip, well under a millisecond).
 */
export async function startLagProbe(baseUrl: string, planId: string, cookie: string, everyMs = 5): Promise<LagProbe> {
	const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/collab/${planId}`, { headers: { cookie, origin: baseUrl } });
	await new Promise<void>((resolve, reject) => {
		socket.once('open', () => resolve());
		socket.once('error', reject);
	});
	let delays: number[] = [];
	let windowStart = performance.now();
	const sentAt = new Map<number, number>();
	let next = 0;
	socket.on('pong', (data: Buffer) => {
		const number = data.readUInt32BE(0);
		const sent = sentAt.get(number);
		if (sent === undefined) return;
		sentAt.delete(number);
		if (sent >= windowStart) delays.push(performance.now() - sent);
	});
	// One ping in flight at a time: a stalled server shows as one long delay, not as a pile of queued ones.
	const timer = setInterval(() => {
		if (sentAt.size > 0 || socket.readyState !== WebSocket.OPEN) return;
		const payload = Buffer.alloc(4);
		payload.writeUInt32BE(++next);
		sentAt.set(next, performance.now());
		socket.ping(payload);
	}, everyMs);
	return {
		reset() {
			delays = [];
			windowStart = performance.now();
		},
		figures() {
			// A ping still unanswered counts with how long it has waited so far.
			const waiting = [...sentAt.values()].filter((sent) => sent >= windowStart).map((sent) => performance.now() - sent);
			const all = [...delays, ...waiting];
			return { samples: all.length, p50: percentile(all, 50), p99: percentile(all, 99), max: all.length === 0 ? Number.NaN : Math.max(...all) };
		},
		close() {
			clearInterval(timer);
			socket.terminate();
		}
	};
}

/** One line of figures for the bench output. */
export function lagLine(label: string, figures: LagFigures): string {
	return `  ${label.padEnd(34)} p50 ${figures.p50.toFixed(1).padStart(6)} ms   p99 ${figures.p99.toFixed(1).padStart(6)} ms   max ${figures.max.toFixed(1).padStart(6)} ms   (${figures.samples} pings)`;
}
