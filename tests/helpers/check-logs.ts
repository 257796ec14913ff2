import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PLAN_CONTENT_MARKER } from './plan-doc.ts';

// The last step of the suite: no line any server printed during the whole run (test servers' own logs, and the
// suite's output with the browser tests' server) may hold words the tests typed into plans.
const folder = process.argv[2] ?? '.test-output';

function logFiles(directory: string): string[] {
	if (!existsSync(directory)) return [];
	return readdirSync(directory).flatMap((name) => {
		const path = join(directory, name);
		if (statSync(path).isDirectory()) return logFiles(path);
		return name.endsWith('.log') ? [path] : [];
	});
}

const files = logFiles(folder);
const found: string[] = [];
for (const file of files) {
	readFileSync(file, 'utf8')
		.split('\n')
		.forEach((line, index) => {
			if (line.includes(PLAN_CONTENT_MARKER)) found.push(`${relative(process.cwd(), file)}:${index + 1}`);
		});
}
if (found.length > 0) {
	console.error(`Plan content reached server output in ${found.length} line(s):\n  ${found.slice(0, 20).join('\n  ')}`);
	process.exit(1);
}
console.log(`No plan content in ${files.length} server log file(s).`);
