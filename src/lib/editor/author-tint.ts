import { Extension } from '@tiptap/core';
import type { Node as ProseMirrorNode, Schema } from '@tiptap/pm/model';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import * as Y from 'yjs';
import { m } from '../paraglide/messages.js';

export interface TintAuthor {
	name: string;
	tint: string;
}

export interface AuthorTintOptions {
	fragment: Y.XmlFragment | null;
	/** Whether text is tinted right now. */
	enabled: () => boolean;
	/** Who wrote the words of a Yjs client id. */
	authorOf: (clientId: number) => TintAuthor | null;
}

export const authorTintKey = new PluginKey<DecorationSet>('authorTint');

/**
 * Tints each run of text by the person who wrote it, read from the Yjs items behind the editor (their client
 * ids are bound to people on the server). Positions are computed by walking the Yjs tree the way y-prosemirror
 * maps it: each element opens and closes, leaves take one position, text one per character.
 */
function decorate(fragment: Y.XmlFragment, doc: ProseMirrorNode, schema: Schema, authorOf: AuthorTintOptions['authorOf']): DecorationSet {
	const decorations: Decoration[] = [];
	let position = 0;
	const walk = (parent: Y.XmlFragment | Y.XmlElement) => {
		for (const child of parent.toArray()) {
			if (child instanceof Y.XmlText) {
				for (let item = child._start; item !== null; item = item.right) {
					if (item.deleted || !item.countable) continue;
					if (item.content instanceof Y.ContentString) {
						const author = authorOf(item.id.client);
						const end = position + item.length;
						if (author) {
							decorations.push(
								Decoration.inline(position, end, {
									class: 'authored',
									style: `background-color: ${author.tint}`,
									title: m.authorship_written_by({ name: author.name })
								})
							);
						}
						position = end;
					} else {
						position += item.length;
					}
				}
			} else if (child instanceof Y.XmlElement) {
				if (schema.nodes[child.nodeName]?.isLeaf) {
					position += 1;
					continue;
				}
				position += 1;
				walk(child);
				position += 1;
			}
		}
	};
	walk(fragment);
	// Should the editor show something the Yjs tree does not (never expected), draw nothing rather than the wrong thing.
	if (position !== doc.content.size) return DecorationSet.empty;
	return DecorationSet.create(doc, decorations);
}

/** "Who wrote what": tints text by author while `enabled()` says so. Refresh with `refreshAuthorTint`. */
export const AuthorTint = Extension.create<AuthorTintOptions>({
	name: 'authorTint',
	// After the collaboration binding, so the Yjs tree already holds a local change when tints are recomputed.
	priority: 10,
	addOptions() {
		return { fragment: null, enabled: () => false, authorOf: () => null };
	},
	addProseMirrorPlugins() {
		const { fragment, enabled, authorOf } = this.options;
		if (!fragment) return [];
		let stale = false;
		return [
			new Plugin<DecorationSet>({
				key: authorTintKey,
				state: {
					init: () => DecorationSet.empty,
					apply: (tr, tints, _old, state) => {
						if (tr.getMeta(authorTintKey) === 'refresh') return enabled() ? decorate(fragment, state.doc, state.schema, authorOf) : DecorationSet.empty;
						if (!tr.docChanged) return tints;
						if (enabled()) stale = true;
						return tints.map(tr.mapping, tr.doc);
					}
				},
				props: {
					decorations: (state) => authorTintKey.getState(state)
				},
				view: () => ({
					update: (view) => {
						if (!stale) return;
						stale = false;
						// The binding has written the change to Yjs by now; recompute on the next turn (not inside an update).
						setTimeout(() => {
							if (!view.isDestroyed) refreshAuthorTint(view);
						}, 0);
					}
				})
			})
		];
	}
});

/** Recomputes tints (after the toggle or the people known changed). */
export function refreshAuthorTint(view: {
	state: { tr: import('@tiptap/pm/state').Transaction };
	dispatch: (tr: import('@tiptap/pm/state').Transaction) => void;
}): void {
	view.dispatch(view.state.tr.setMeta(authorTintKey, 'refresh').setMeta('addToHistory', false));
}
