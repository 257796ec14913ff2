import type * as Y from 'yjs';
import type { CollabClient } from './collab-client.ts';
import { appendParagraph } from './plan-doc.ts';

/** A person typing unique tokens at the end of a shared text, noting which ones the server acknowledged. */
export class Typist {
	readonly typed: string[] = [];
	/** How many of `typed` were acknowledged as committed (a prefix: acknowledgements are in order). */
	acknowledged = 0;
	private timer: NodeJS.Timeout | undefined;
	private everyMs = 0;
	/** The typist's own paragraph in `about`. */
	private text: Y.XmlText | null = null;

	constructor(
		readonly name: string,
		readonly client: CollabClient
	) {
		client.saves.subscribe((state) => {
			if (state === 'saved') this.acknowledged = this.typed.length;
		});
	}

	start(everyMs: number): void {
		this.everyMs = everyMs;
		this.timer = setInterval(() => {
			const token = `<${this.name}-${this.typed.length}>`;
			this.typed.push(token);
			const text = (this.text ??= appendParagraph(this.client.doc, 'about'));
			text.insert(text.length, token);
		}, everyMs);
	}

	stop(): void {
		clearInterval(this.timer);
	}

	/**
	 * Pauses until everything typed so far is acknowledged, then types on. On a busy machine a steady typist may
	 * never have a moment with nothing pending; this makes sure each round has a known acknowledged prefix.
	 */
	async catchBreath(): Promise<void> {
		this.stop();
		await this.client.saves.whenSaved();
		this.start(this.everyMs);
	}
}
