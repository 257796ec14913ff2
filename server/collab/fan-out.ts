/** Something that receives a plan's messages: a connection of this process. */
export interface FanOutSubscriber {
	send(message: Uint8Array): void;
}

/**
 * How a plan's committed changes and presence reach everyone in it: one channel per plan, messages as they go on
 * the wire. The local implementation reaches the connections of this process; one that spans processes (several
 * nodes) also carries each message to the same plan's subscribers elsewhere.
 */
export interface RoomFanOut {
	/** Sends `message` to every subscriber of the plan's channel but `except` (its author, who has it). */
	publish(planId: string, message: Uint8Array, except?: FanOutSubscriber): void;
	/** Adds a subscriber to the plan's channel; returns what removes it. */
	subscribe(planId: string, subscriber: FanOutSubscriber): () => void;
}

/** Fan-out within this process: each plan's subscribers in a set, sent to in the order they subscribed. */
export class LocalFanOut implements RoomFanOut {
	private readonly channels = new Map<string, Set<FanOutSubscriber>>();

	publish(planId: string, message: Uint8Array, except?: FanOutSubscriber): void {
		const subscribers = this.channels.get(planId);
		if (!subscribers) return;
		for (const subscriber of subscribers) if (subscriber !== except) subscriber.send(message);
	}

	subscribe(planId: string, subscriber: FanOutSubscriber): () => void {
		let subscribers = this.channels.get(planId);
		if (!subscribers) this.channels.set(planId, (subscribers = new Set()));
		subscribers.add(subscriber);
		return () => {
			const current = this.channels.get(planId);
			if (!current?.delete(subscriber) || current.size > 0) return;
			this.channels.delete(planId);
		};
	}
}
