import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalMessages } from '../../../tests/helpers/sort-messages.ts';

type Message = string | { declarations?: string[]; selectors?: string[]; match: Record<string, string> }[];

const files = readdirSync('messages').filter((name) => name.endsWith('.json'));
const read = (file: string) => readFileSync(`messages/${file}`, 'utf8');
const messagesOf = (file: string) => {
	const { $schema: _schema, ...messages } = JSON.parse(read(file)) as Record<string, Message>;
	return messages;
};
const english = messagesOf('en.json');

/** What a message needs from the code that shows it: its `{placeholders}`, or the inputs its variants declare. */
function inputsOf(message: Message): string[] {
	if (typeof message === 'string') return [...new Set([...message.matchAll(/\{(\w+)\}/g)].map((found) => found[1]!))].sort();
	const inputs = message.flatMap((variant) => (variant.declarations ?? []).filter((d) => d.startsWith('input ')).map((d) => d.slice(6).trim()));
	return [...new Set(inputs)].sort();
}

/** Every text a message can show, for the checks on the words themselves. */
function textsOf(message: Message): string[] {
	return typeof message === 'string' ? [message] : message.flatMap((variant) => Object.values(variant.match));
}

describe('message files', () => {
	it('has English and German', () => {
		expect(files).toEqual(expect.arrayContaining(['en.json', 'de.json']));
	});

	for (const file of files) {
		describe(file, () => {
			const messages = messagesOf(file);

			it('has every key of the English file and no other', () => {
				expect(Object.keys(messages).sort()).toEqual(Object.keys(english).sort());
			});

			it('asks for the same placeholders as the English file, key by key', () => {
				const differing = Object.keys(english).filter((key) => key in messages && inputsOf(messages[key]!).join() !== inputsOf(english[key]!).join());
				expect(differing.map((key) => `${key}: ${inputsOf(messages[key]!).join()} ≠ ${inputsOf(english[key]!).join()}`)).toEqual([]);
			});

			it('uses only placeholders a variant declares, and leaves no text empty', () => {
				const wrong = Object.entries(messages).filter(([, message]) => {
					const declared = new Set(
						typeof message === 'string' ? inputsOf(message) : message.flatMap((v) => (v.declarations ?? []).map((d) => d.split(/\s+/)[1]!.replace(/=.*/, '')))
					);
					return textsOf(message).some((text) => text.trim() === '' || [...text.matchAll(/\{(\w+)\}/g)].some((found) => !declared.has(found[1]!)));
				});
				expect(wrong.map(([key]) => key)).toEqual([]);
			});

			it('is in its canonical form (npm run i18n:sort), so additions never collide', () => {
				expect(read(file)).toBe(canonicalMessages(read(file)));
			});
		});
	}

	it('speaks to people in German as “Sie”, never “du”', () => {
		const german = messagesOf('de.json');
		const informal = Object.entries(german).filter(([, message]) =>
			textsOf(message).some((text) => /\b(du|dich|dir|dein|deine|deinen|deinem|deiner|deines)\b/i.test(text))
		);
		expect(informal.map(([key]) => key)).toEqual([]);
	});
});
