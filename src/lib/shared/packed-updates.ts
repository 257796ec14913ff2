/**
 * Stored Yjs updates packed into one buffer (and their end offsets into another), in order. Thousands of small
 * updates then cross to a worker thread as two transferred buffers, instead of thousands of cloned arrays; and the
 * buffers are fresh, so transferring them never detaches memory anyone else uses (the database driver's rows may
 * be views into shared pools).
 */
export interface PackedUpdates {
	bytes: Uint8Array;
	ends: Uint32Array;
}

/** Copies updates into a fresh packed form. */
export function packUpdates(updates: readonly Uint8Array[]): PackedUpdates {
	let total = 0;
	for (const update of updates) total += update.byteLength;
	const bytes = new Uint8Array(total);
	const ends = new Uint32Array(updates.length);
	let offset = 0;
	updates.forEach((update, index) => {
		bytes.set(update, offset);
		offset += update.byteLength;
		ends[index] = offset;
	});
	return { bytes, ends };
}

/** The updates of a packed form, in order (views into its buffer, not copies). */
export function unpackUpdates(packed: PackedUpdates): Uint8Array[] {
	const updates: Uint8Array[] = [];
	let start = 0;
	for (const end of packed.ends) {
		updates.push(packed.bytes.subarray(start, end));
		start = end;
	}
	return updates;
}

/** A plan's stored parts (its checkpoint, if any, then the updates after it) packed in the order they apply. */
export function packStoredState(checkpoint: Uint8Array | null, tail: readonly Uint8Array[]): PackedUpdates {
	return packUpdates(checkpoint ? [checkpoint, ...tail] : tail);
}
