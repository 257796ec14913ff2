import { describe, expect, it } from 'vitest';
import { readEncryptionKey, seal, unseal } from './secret-box.ts';

const key = new Uint8Array(32).fill(1);
const otherKey = new Uint8Array(32).fill(2);
const secret = new TextEncoder().encode('an authenticator key');

describe('secret box', () => {
	it('opens what it sealed, with the same key only', () => {
		const sealed = seal(key, secret);
		expect(unseal(key, sealed)).toEqual(secret);
		expect(unseal(otherKey, sealed)).toBeNull();
	});

	it('seals the same secret differently every time (a fresh IV)', () => {
		expect(seal(key, secret)).not.toEqual(seal(key, secret));
	});

	it('refuses a sealed value that was changed, cut short or is of another format', () => {
		const sealed = seal(key, secret);
		const changed = sealed.slice();
		changed[20] = changed[20]! ^ 1;
		expect(unseal(key, changed)).toBeNull();
		expect(unseal(key, sealed.subarray(0, 20))).toBeNull();
		const otherFormat = sealed.slice();
		otherFormat[0] = 9;
		expect(unseal(key, otherFormat)).toBeNull();
	});

	it('reads a key of 32 bytes in base64 and nothing else', () => {
		expect(readEncryptionKey(Buffer.from(key).toString('base64'))).toEqual(key);
		expect(readEncryptionKey('not base64!')).toBeNull();
		expect(readEncryptionKey(Buffer.alloc(31).toString('base64'))).toBeNull();
	});
});
