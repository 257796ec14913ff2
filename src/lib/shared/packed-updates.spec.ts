import { describe, expect, it } from 'vitest';
import { packStoredState, packUpdates, unpackUpdates } from './packed-updates.ts';

describe('packed updates', () => {
	it('gives back the same updates, in order, from two fresh buffers', () => {
		const updates = [new Uint8Array([1, 2, 3]), new Uint8Array([]), Buffer.from([4, 5]), new Uint8Array([6])];
		const packed = packUpdates(updates);
		expect(unpackUpdates(packed).map((update) => [...update])).toEqual([[1, 2, 3], [], [4, 5], [6]]);
		expect(packed.bytes.byteOffset).toBe(0);
		expect(packed.bytes.byteLength).toBe(packed.bytes.buffer.byteLength);
		expect(packed.ends.byteLength).toBe(packed.ends.buffer.byteLength);
	});

	it('puts a checkpoint before the updates after it', () => {
		const packed = packStoredState(new Uint8Array([9]), [new Uint8Array([1])]);
		expect(unpackUpdates(packed).map((update) => [...update])).toEqual([[9], [1]]);
		expect(unpackUpdates(packStoredState(null, []))).toEqual([]);
	});
});
