import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';

/** The HTTP status of a refused upgrade, or 101 when the socket opened. */
export async function upgradeStatus(url: string, headers: Record<string, string>): Promise<number> {
	return (await upgradeAnswer(url, headers)).status;
}

/** The status and body of a refused upgrade (body empty when the socket opened with 101). */
export function upgradeAnswer(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		const socket = new WebSocket(url, { headers });
		socket.on('unexpected-response', (_request, response) => {
			let body = '';
			response.setEncoding('utf8');
			response.on('data', (chunk: string) => (body += chunk));
			response.on('end', () => {
				resolve({ status: response.statusCode ?? 0, body });
				socket.terminate();
			});
		});
		socket.on('open', () => {
			resolve({ status: 101, body: '' });
			socket.close();
		});
		socket.on('error', (error) => {
			if (!/Unexpected server response/.test(error.message)) reject(error);
		});
	});
}

/** An open socket that speaks raw frames, for sending what the stock client never would. */
export async function openRawSocket(
	url: string,
	headers: Record<string, string>
): Promise<{ socket: WebSocket; closed: Promise<{ code: number; reason: string }>; received: Uint8Array[] }> {
	const socket = new WebSocket(url, { headers });
	const received: Uint8Array[] = [];
	socket.on('message', (data: Buffer) => received.push(new Uint8Array(data)));
	const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
	await new Promise<void>((resolve, reject) => {
		socket.once('open', () => resolve());
		socket.once('error', reject);
	});
	return { socket, closed, received };
}

/** A y-websocket sync message: [0, step, bytes]. */
export function syncMessage(step: number, payload: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, 0);
	encoding.writeVarUint(encoder, step);
	encoding.writeVarUint8Array(encoder, payload);
	return encoding.toUint8Array(encoder);
}
