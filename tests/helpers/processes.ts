import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface Finished {
	code: number | null;
	stdout: string;
	stderr: string;
}

/** Runs a TypeScript entry point of server/ the way npm scripts do, and collects its output. */
export function runNodeScript(script: string, args: string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<Finished> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
			cwd: ROOT,
			env: { ...process.env, ...options.env },
			stdio: ['pipe', 'pipe', 'pipe']
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		child.on('error', reject);
		child.on('close', (code) => resolve({ code, stdout, stderr }));
		child.stdin.end(options.input ?? '');
	});
}
