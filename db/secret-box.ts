import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { decodeBase64 } from '@oslojs/encoding';

/** The first byte of every sealed value: the format, so that a later one can be told apart. */
const FORMAT = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The key ENCRYPTION_KEY names (32 bytes in base64), or null when it is not one. */
export function readEncryptionKey(text: string): Uint8Array | null {
	try {
		const key = decodeBase64(text);
		return key.length === 32 ? key : null;
	} catch {
		return null;
	}
}

/** Encrypts a secret with AES-256-GCM: format byte, IV, ciphertext, tag. */
export function seal(key: Uint8Array, secret: Uint8Array): Uint8Array {
	const iv = randomBytes(IV_BYTES);
	const cipher = createCipheriv('aes-256-gcm', key, iv);
	const body = Buffer.concat([cipher.update(secret), cipher.final()]);
	return new Uint8Array(Buffer.concat([Buffer.from([FORMAT]), iv, body, cipher.getAuthTag()]));
}

/** The secret a sealed value holds; null when it was sealed with another key or has been changed. */
export function unseal(key: Uint8Array, sealed: Uint8Array): Uint8Array | null {
	if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== FORMAT) return null;
	const iv = sealed.subarray(1, 1 + IV_BYTES);
	const tag = sealed.subarray(sealed.length - TAG_BYTES);
	const body = sealed.subarray(1 + IV_BYTES, sealed.length - TAG_BYTES);
	try {
		const decipher = createDecipheriv('aes-256-gcm', key, iv);
		decipher.setAuthTag(tag);
		return new Uint8Array(Buffer.concat([decipher.update(body), decipher.final()]));
	} catch {
		return null;
	}
}
