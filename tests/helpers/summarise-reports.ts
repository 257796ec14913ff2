import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// Adds up the JSON reports of Vitest and Playwright into one closing line: "N passed, N failed".
const folder = process.argv[2] ?? '.test-output';
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of existsSync(folder) ? readdirSync(folder).filter((name) => name.endsWith('.json')) : []) {
	const report = JSON.parse(readFileSync(join(folder, file), 'utf8'));
	if (typeof report.numPassedTests === 'number') {
		passed += report.numPassedTests;
		failed += report.numFailedTests;
		skipped += report.numPendingTests + (report.numTodoTests ?? 0);
		console.log(`${file.replace(/\.json$/, '')}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
	} else if (report.stats) {
		const stats = report.stats;
		passed += stats.expected + stats.flaky;
		failed += stats.unexpected;
		skipped += stats.skipped;
		console.log(`${file.replace(/\.json$/, '')}: ${stats.expected + stats.flaky} passed, ${stats.unexpected} failed`);
	}
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
