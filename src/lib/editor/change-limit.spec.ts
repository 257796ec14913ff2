import { getSchema } from '@tiptap/core';
import { Slice, type Node as ProseMirrorNode } from '@tiptap/pm/model';
import { ReplaceStep } from '@tiptap/pm/transform';
import { prosemirrorToYXmlFragment } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ChangeLimit, stepBytes, textChangeBytes, utf8Bytes } from './change-limit.svelte.ts';
import { contentExtensions } from './section-extensions.ts';

const schema = getSchema(contentExtensions());
const text = (words: string, marks: string[] = [], attrs: Record<string, unknown> = {}) =>
	schema.text(
		words,
		marks.map((mark) => schema.marks[mark]!.create(mark === 'link' ? attrs : null))
	);
const paragraph = (...content: ProseMirrorNode[]) => schema.nodes.paragraph!.create(null, content);

/** The Yjs update that the section would send for this content, in bytes. */
function yjsBytes(doc: ProseMirrorNode): number {
	const ydoc = new Y.Doc();
	// Some content first, as in a real section: new items then carry origins.
	ydoc.getXmlFragment('section').insert(0, [new Y.XmlText('Already here.')]);
	const before = Y.encodeStateVector(ydoc);
	const scratch = new Y.Doc();
	prosemirrorToYXmlFragment(doc, scratch.getXmlFragment('section'));
	return Y.encodeStateAsUpdate(scratch, before).byteLength;
}

function estimate(doc: ProseMirrorNode): number {
	return stepBytes(new ReplaceStep(0, 0, new Slice(doc.content, 0, 0)), doc);
}

describe('the size of a change, estimated before it is made', () => {
	const cases: [string, ProseMirrorNode][] = [
		['long plain text', schema.nodes.doc!.create(null, [paragraph(text('A very long letter I was sent. '.repeat(20_000)))])],
		['text in many languages', schema.nodes.doc!.create(null, [paragraph(text('Ça va? 你好 🌊 '.repeat(5_000)))])],
		[
			'many short runs with formatting and links',
			schema.nodes.doc!.create(
				null,
				Array.from({ length: 2_000 }, (_, index) =>
					paragraph(text('Bold ', ['bold']), text('link', ['link', 'italic'], { href: `https://example.org/${index}` }), text(' plain.'))
				)
			)
		],
		[
			'many empty paragraphs',
			schema.nodes.doc!.create(
				null,
				Array.from({ length: 5_000 }, () => paragraph())
			)
		],
		[
			'nested lists',
			schema.nodes.doc!.create(
				null,
				Array.from({ length: 500 }, () =>
					schema.nodes.bulletList!.create(null, [
						schema.nodes.listItem!.create(null, [
							paragraph(text('One step')),
							schema.nodes.bulletList!.create(null, [schema.nodes.listItem!.create(null, [paragraph(text('and another'))])])
						])
					])
				)
			)
		]
	];

	it.each(cases)('is never less than the Yjs update, and not far more: %s', (_name, doc) => {
		const actual = yjsBytes(doc);
		const estimated = estimate(doc);
		expect(estimated).toBeGreaterThanOrEqual(actual);
		expect(estimated).toBeLessThan(actual * 3);
	});

	it('bounds small changes (a keystroke) without reading them', () => {
		const doc = schema.nodes.doc!.create(null, [paragraph(text('x'))]);
		expect(estimate(doc)).toBeGreaterThanOrEqual(yjsBytes(doc));
		expect(estimate(doc)).toBeLessThan(200);
	});

	it('counts UTF-8 bytes as Yjs stores them', () => {
		for (const words of ['plain', 'Ça va', '你好', '🌊 wave', '']) expect(utf8Bytes(words)).toBe(new TextEncoder().encode(words).byteLength);
		expect(textChangeBytes('x'.repeat(10_000))).toBeGreaterThanOrEqual(10_000);
	});
});

describe('ChangeLimit', () => {
	it('refuses a change that alone, or with what is not saved yet, is more than the limit; and everything once stopped', () => {
		const doc = new Y.Doc();
		const remote = Symbol('provider');
		const limit = new ChangeLimit(doc, (origin) => origin !== remote, 1_000);
		expect(limit.allows(900)).toBe(true);
		expect(limit.allows(1_001)).toBe(false);
		expect(limit.refused).toEqual({ bytes: 1_001 });

		doc.getText('t').insert(0, 'x'.repeat(800));
		expect(limit.allows(300)).toBe(false);
		// Others' changes are not ours to send.
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(new Y.Doc()), remote);
		limit.saved();
		expect(limit.allows(300)).toBe(true);

		limit.dismiss();
		expect(limit.refused).toBeNull();
		limit.accepting = false;
		expect(limit.allows(1)).toBe(false);
		expect(limit.refused).toBeNull();
	});
});
