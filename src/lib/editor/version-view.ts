import { Editor, Mark } from '@tiptap/core';
import Collaboration from '@tiptap/extension-collaboration';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { m } from '../paraglide/messages.js';
import type { AuthorColor } from '../shared/author-colors.ts';
import { contentExtensions } from './section-extensions.ts';

/**
 * Who wrote and who deleted each piece of a compared history, from the server's log. Shaped like Yjs's
 * PermanentUserData, which y-tiptap's snapshot rendering asks; nothing in it comes from a browser.
 */
export class LogAttribution {
	readonly dss = new Map<string, never>();
	private readonly writers: Map<number, string>;
	/** Per client id: deleted ranges [clock, length, person], in log order. */
	private readonly deletions = new Map<number, [number, number, string][]>();

	constructor(writers: [number, string][], deletions: [number, number, number, string][]) {
		this.writers = new Map(writers);
		for (const [client, clock, length, person] of deletions) {
			const ranges = this.deletions.get(client) ?? [];
			ranges.push([clock, length, person]);
			this.deletions.set(client, ranges);
		}
	}

	getUserByClientId(clientId: number): string | null {
		return this.writers.get(clientId) ?? null;
	}

	getUserByDeletedId(id: Y.ID): string | null {
		for (const [clock, length, person] of this.deletions.get(id.client) ?? []) {
			if (id.clock >= clock && id.clock < clock + length) return person;
		}
		return null;
	}
}

interface ChangeAttributes {
	user: string | null;
	type: 'added' | 'removed';
	color: { light: string; dark: string } | null;
}

/** The mark y-tiptap puts on added and removed text when it renders a comparison. */
function changeMark(nameOf: (personId: string | null) => string) {
	return Mark.create({
		name: 'ychange',
		inclusive: false,
		excludes: '',
		addAttributes() {
			return {
				user: { default: null, rendered: false },
				type: { default: null, rendered: false },
				color: { default: null, rendered: false }
			};
		},
		renderHTML({ mark }) {
			const { user, type, color } = mark.attrs as ChangeAttributes;
			const who = nameOf(user);
			return [
				type === 'removed' ? 'del' : 'ins',
				{
					class: `change change-${type}`,
					title: type === 'removed' ? m.editor_change_removed_by({ name: who }) : m.editor_change_added_by({ name: who }),
					'data-author': who,
					style: color ? `background-color: ${color.light}; text-decoration-color: ${color.dark}; border-bottom-color: ${color.dark}` : ''
				},
				0
			];
		}
	});
}

export interface Comparing {
	from: Y.Snapshot;
	to: Y.Snapshot;
	attribution: LogAttribution;
	colors: Map<string, AuthorColor>;
	nameOf: (personId: string | null) => string;
}

/**
 * A read-only view of one section of a version. With `comparing`, y-tiptap renders the text between two
 * snapshots of `doc` (which must keep deleted content), each insertion and deletion marked with its author.
 */
export function createVersionView(element: HTMLElement, doc: Y.Doc, field: string, label: string, comparing?: Comparing): Editor {
	const colorMapping = new Map([...(comparing?.colors ?? [])].map(([person, color]) => [person, { light: color.tint, dark: color.strong }]));
	const editor = new Editor({
		element,
		editable: false,
		extensions: [
			...contentExtensions(),
			changeMark(comparing?.nameOf ?? (() => m.editor_change_someone())),
			Collaboration.configure({
				document: doc,
				field,
				ySyncOptions: comparing ? { permanentUserData: comparing.attribution as unknown as Y.PermanentUserData, colorMapping } : {}
			})
		],
		editorProps: {
			attributes: { role: 'textbox', 'aria-readonly': 'true', 'aria-multiline': 'true', 'aria-label': label, class: 'section-text' }
		}
	});
	if (comparing) {
		const binding = ySyncPluginKey.getState(editor.state)?.binding as { renderSnapshot(snapshot: Y.Snapshot, previous: Y.Snapshot): void } | undefined;
		binding?.renderSnapshot(comparing.to, comparing.from);
	}
	return editor;
}
