import { describe, expect, it } from 'vitest';
import { defineWorkTask, hasWorkPool, ownedBuffersIn, runWork } from './work-pool.ts';

describe('ownedBuffersIn', () => {
	it('finds buffers that typed arrays own whole, at the top or in plain objects', () => {
		const top = new Uint8Array(4);
		const nested = new Uint32Array(2);
		expect(ownedBuffersIn(top)).toEqual([top.buffer]);
		expect(ownedBuffersIn({ updates: { bytes: top, ends: nested }, again: top })).toEqual([top.buffer, nested.buffer]);
	});

	it('leaves out views into a buffer shared with others, empty buffers and arrays', () => {
		const shared = new Uint8Array(16);
		// Small Node buffers are slices of one pooled allocation: transferring it would break every other slice.
		expect(ownedBuffersIn({ pooled: Buffer.from('abc'), view: shared.subarray(2, 4), empty: new Uint8Array(0) })).toEqual([]);
		expect(ownedBuffersIn({ list: [new Uint8Array(4)] })).toEqual([]);
	});
});

describe('runWork', () => {
	it('runs the task right here when the process has no pool', async () => {
		const double = defineWorkTask('double', ({ value }: { value: number }) => value * 2);
		expect(hasWorkPool()).toBe(false);
		await expect(runWork(double, { value: 21 })).resolves.toBe(42);
	});
});
