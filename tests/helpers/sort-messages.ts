import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * `npm run i18n:sort`: writes every message file in its one canonical form (keys sorted, tabs), so two people who
 * add keys in different areas never touch the same lines, and a diff shows only what changed. The unit test
 * src/lib/shared/messages.spec.ts fails while a file is not in this form.
 */
export function canonicalMessages(text: string): string {
	const { $schema, ...messages } = JSON.parse(text) as Record<string, unknown>;
	const sorted: Record<string, unknown> = { $schema };
	for (const key of Object.keys(messages).sort()) sorted[key] = messages[key];
	return `${JSON.stringify(sorted, null, '\t')}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
	for (const file of readdirSync('messages').filter((name) => name.endsWith('.json'))) {
		const path = `messages/${file}`;
		writeFileSync(path, canonicalMessages(readFileSync(path, 'utf8')));
	}
}
