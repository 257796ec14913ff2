import { Extension, type Extensions } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { TaskItem, TaskList } from '@tiptap/extension-list';
import { Placeholder } from '@tiptap/extensions';
import StarterKit from '@tiptap/starter-kit';
import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { m } from '../paraglide/messages.js';
import type { PresenceUser } from '../shared/collab-protocol.ts';
import { AuthorTint, type AuthorTintOptions } from './author-tint.ts';
import { changeLimitOf, stepBytes, type ChangeLimit } from './change-limit.svelte.ts';

/** What a plan section's text may contain: what a care plan needs, nothing that looks like code. */
export function contentExtensions(): Extensions {
	return [
		StarterKit.configure({
			undoRedo: false, // Collaboration brings undo that only undoes your own changes
			code: false,
			codeBlock: false,
			horizontalRule: false,
			heading: { levels: [3, 4] },
			link: {
				openOnClick: false,
				autolink: true,
				protocols: ['http', 'https', 'mailto', 'tel'],
				HTMLAttributes: { rel: 'noopener noreferrer nofollow', target: '_blank' }
			}
		}),
		TaskList,
		TaskItem.configure({ nested: true })
	];
}

/** The editor features of a live plan section. */
export function sectionExtensions(options: {
	doc: Y.Doc;
	field: string;
	provider: WebsocketProvider;
	me: PresenceUser;
	placeholder: string;
	authorTint: Omit<AuthorTintOptions, 'fragment'>;
	/** Esc in the text: leave it for its toolbar (so Tab, which indents in a list, is never a trap). */
	onEscape: () => void;
}): Extensions {
	return [
		...contentExtensions(),
		Placeholder.configure({ placeholder: options.placeholder }),
		Collaboration.configure({ document: options.doc, field: options.field }),
		CollaborationCaret.configure({
			provider: options.provider,
			user: options.me, // the same identity the server stamps on this person's presence
			render: renderCaret
		}),
		AuthorTint.configure({ ...options.authorTint, fragment: options.doc.getXmlFragment(options.field) }),
		Extension.create({
			name: 'escapeToToolbar',
			addKeyboardShortcuts: () => ({
				Escape: () => {
					options.onEscape();
					return true;
				}
			})
		}),
		...withChangeLimit(changeLimitOf(options.doc))
	];
}

/**
 * Asks the plan's change limit before any change of the person's own is applied (typing, pasting, dropping,
 * toolbar commands), so that a refused one never reaches the document; and makes the text read-only while the
 * plan cannot be saved. Changes from others (through the Yjs binding) always pass.
 */
function withChangeLimit(limit: ChangeLimit | undefined): Extensions {
	if (!limit) return [];
	const key = new PluginKey('change-limit');
	return [
		Extension.create({
			name: 'changeLimit',
			addProseMirrorPlugins: () => [
				new Plugin({
					key,
					filterTransaction(transaction, state) {
						if (!transaction.docChanged || transaction.getMeta(ySyncPluginKey) !== undefined) return true;
						let bytes = 0;
						transaction.steps.forEach((step, index) => (bytes += stepBytes(step, transaction.docs[index] ?? state.doc)));
						return limit.allows(bytes);
					},
					props: { editable: () => limit.accepting },
					view(view) {
						// ProseMirror reads `editable` on every state update: one is made when it changes.
						const stop = limit.onAcceptingChange(() => view.updateState(view.state));
						return { destroy: stop };
					}
				})
			]
		})
	];
}

/** Another person's caret: a coloured line with their name. Hidden from screen readers (the presence list says who is here), so it is not read out as part of the text. */
function renderCaret(user: Record<string, unknown>): HTMLElement {
	const caret = document.createElement('span');
	caret.className = 'collaboration-caret';
	caret.setAttribute('aria-hidden', 'true');
	caret.style.borderColor = String(user.color ?? '#444');
	const label = document.createElement('span');
	label.className = 'collaboration-caret-label';
	label.style.backgroundColor = String(user.color ?? '#444');
	label.textContent = String(user.name ?? m.editor_caret_someone());
	caret.append(label);
	return caret;
}
