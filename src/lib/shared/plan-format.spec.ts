import { getSchema } from '@tiptap/core';
import type { NodeType } from '@tiptap/pm/model';
import { describe, expect, it } from 'vitest';
import { contentExtensions } from '../editor/section-extensions.ts';
import { RICH_TEXT_ATTRIBUTES, RICH_TEXT_CHILDREN, RICH_TEXT_MARKS } from './plan-format.ts';

/** Every node type that may appear anywhere inside `type`, read from its content expression. */
function possibleChildren(type: NodeType): string[] {
	const names = new Set<string>();
	const seen = new Set<unknown>();
	const todo = [type.contentMatch];
	while (todo.length > 0) {
		const match = todo.pop()!;
		if (seen.has(match)) continue;
		seen.add(match);
		for (let index = 0; index < match.edgeCount; index++) {
			const edge = match.edge(index);
			names.add(edge.type.name);
			todo.push(edge.next);
		}
	}
	return [...names].sort();
}

describe('the plan format', () => {
	// The collaboration server refuses rich text outside these tables: they must say exactly what the editor writes.
	const schema = getSchema(contentExtensions());

	it('allows exactly the elements, nesting and attributes of the section editor', () => {
		const nodes = Object.values(schema.nodes).filter((type) => type.name !== 'text');
		expect(Object.keys(RICH_TEXT_CHILDREN).sort()).toEqual(nodes.map((type) => type.name).sort());
		for (const type of nodes) {
			expect(`${type.name}: ${[...RICH_TEXT_CHILDREN[type.name]!].sort().join(',')}`).toBe(`${type.name}: ${possibleChildren(type).join(',')}`);
			expect(`${type.name}: ${[...(RICH_TEXT_ATTRIBUTES[type.name] ?? [])].sort().join(',')}`).toBe(
				`${type.name}: ${Object.keys(type.spec.attrs ?? {})
					.sort()
					.join(',')}`
			);
		}
	});

	it('allows exactly the formatting of the section editor, with its attributes', () => {
		expect(Object.keys(RICH_TEXT_MARKS).sort()).toEqual(Object.keys(schema.marks).sort());
		for (const [name, type] of Object.entries(schema.marks)) {
			expect(`${name}: ${[...RICH_TEXT_MARKS[name]!].sort().join(',')}`).toBe(
				`${name}: ${Object.keys(type.spec.attrs ?? {})
					.sort()
					.join(',')}`
			);
			// The binding stores each mark under its own name only when a mark excludes itself.
			expect(type.excludes(type)).toBe(true);
		}
	});
});
