import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

// A passkey authenticator in software, for tests against the real server: ES256 (ECDSA P-256) keys from node:crypto,
// attestation objects of format "none" written in CBOR by hand, and assertions signed like a platform
// authenticator's. Every knob a test needs to make a bad answer: origin, ceremony type, flags, counter.

const b64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
const fromB64url = (text: string): Buffer => Buffer.from(text, 'base64url');
const sha256 = (bytes: Uint8Array | string): Buffer => createHash('sha256').update(bytes).digest();

/** CBOR (RFC 8949) for the few types WebAuthn needs: integers, byte and text strings, maps. */
function cbor(value: number | string | Uint8Array | Map<number | string, unknown>): Buffer {
	const head = (major: number, length: number): Buffer => {
		if (length < 24) return Buffer.from([(major << 5) | length]);
		if (length < 0x100) return Buffer.from([(major << 5) | 24, length]);
		if (length < 0x10000) return Buffer.from([(major << 5) | 25, length >> 8, length & 0xff]);
		throw new Error('too long for this small CBOR writer');
	};
	if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
	if (typeof value === 'string') {
		const bytes = Buffer.from(value, 'utf8');
		return Buffer.concat([head(3, bytes.length), bytes]);
	}
	if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), value]);
	const parts = [head(5, value.size)];
	for (const [key, item] of value) parts.push(cbor(key), cbor(item as never));
	return Buffer.concat(parts);
}

interface SoftCredential {
	id: Buffer;
	privateKey: KeyObject;
	x: Buffer;
	y: Buffer;
	rpId: string;
	userHandle: Buffer;
	signCount: number;
}

/** What a ceremony may be told to get wrong. */
export interface CeremonyKnobs {
	/** The origin the "browser" puts in the client data (default: the authenticator's). */
	origin?: string;
	/** The client data type (default: the right one for the ceremony). */
	type?: string;
	userPresent?: boolean;
	userVerified?: boolean;
	/** The relying-party id whose hash is signed (default: the one the options name). */
	rpId?: string;
}

/** The fields the passkey components post: base64url, as the server's form actions read them. */
export type AttestationFields = { clientDataJSON: string; attestationObject: string };
export type AssertionFields = { credentialId: string; clientDataJSON: string; authenticatorData: string; signature: string; userHandle: string };

/** The JSON forms of the options our server sends (server/passkeys.ts). */
interface CreationOptions {
	challenge: string;
	rp: { id: string };
	user: { id: string };
	excludeCredentials: { id: string }[];
}
interface RequestOptions {
	challenge: string;
	rpId: string;
	allowCredentials: { id: string }[];
}

export class SoftAuthenticator {
	readonly credentials: SoftCredential[] = [];

	/** @param origin the origin of the pages it is used on, as a browser would report it */
	constructor(readonly origin: string) {}

	private clientData(type: string, challenge: string, knobs: CeremonyKnobs): Buffer {
		return Buffer.from(JSON.stringify({ type: knobs.type ?? type, challenge, origin: knobs.origin ?? this.origin, crossOrigin: false }));
	}

	private static flags(knobs: CeremonyKnobs, attested: boolean): number {
		return (knobs.userPresent === false ? 0 : 0x01) | (knobs.userVerified === false ? 0 : 0x04) | (attested ? 0x40 : 0);
	}

	private static counter(value: number): Buffer {
		const bytes = Buffer.alloc(4);
		bytes.writeUInt32BE(value);
		return bytes;
	}

	/** navigator.credentials.create: a new ES256 passkey, answered with attestation "none". */
	create(options: CreationOptions, knobs: CeremonyKnobs = {}): AttestationFields & { credentialId: string } {
		if (options.excludeCredentials.some((excluded) => this.credentials.some((credential) => b64url(credential.id) === excluded.id))) {
			throw new Error('InvalidStateError: this authenticator already holds a passkey for this person');
		}
		const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
		const jwk = publicKey.export({ format: 'jwk' });
		const credential: SoftCredential = {
			id: Buffer.from(crypto.getRandomValues(new Uint8Array(32))),
			privateKey,
			x: fromB64url(jwk.x!),
			y: fromB64url(jwk.y!),
			rpId: options.rp.id,
			userHandle: fromB64url(options.user.id),
			signCount: 1
		};
		const coseKey = cbor(
			new Map<number, unknown>([
				[1, 2],
				[3, -7],
				[-1, 1],
				[-2, credential.x],
				[-3, credential.y]
			])
		);
		const idLength = Buffer.alloc(2);
		idLength.writeUInt16BE(credential.id.length);
		const authData = Buffer.concat([
			sha256(knobs.rpId ?? options.rp.id),
			Buffer.from([SoftAuthenticator.flags(knobs, true)]),
			SoftAuthenticator.counter(credential.signCount),
			Buffer.alloc(16),
			idLength,
			credential.id,
			coseKey
		]);
		const attestationObject = cbor(
			new Map<string, unknown>([
				['fmt', 'none'],
				['attStmt', new Map()],
				['authData', authData]
			])
		);
		this.credentials.push(credential);
		return {
			credentialId: b64url(credential.id),
			clientDataJSON: b64url(this.clientData('webauthn.create', options.challenge, knobs)),
			attestationObject: b64url(attestationObject)
		};
	}

	/**
	 * navigator.credentials.get: signs the challenge with a passkey it holds for the relying party, one of those
	 * allowed (any, for a passwordless request), or the one given. The counter goes up by one unless told otherwise.
	 */
	get(options: RequestOptions, knobs: CeremonyKnobs & { credentialId?: string; signCount?: number } = {}): AssertionFields {
		const allowed = options.allowCredentials.map((item) => item.id);
		const credential = this.credentials.find(
			(candidate) =>
				(knobs.credentialId ? b64url(candidate.id) === knobs.credentialId : allowed.length === 0 || allowed.includes(b64url(candidate.id))) &&
				candidate.rpId === options.rpId
		);
		if (!credential) throw new Error('NotAllowedError: no passkey for this request');
		credential.signCount = knobs.signCount ?? credential.signCount + 1;
		const authenticatorData = Buffer.concat([
			sha256(knobs.rpId ?? options.rpId),
			Buffer.from([SoftAuthenticator.flags(knobs, false)]),
			SoftAuthenticator.counter(credential.signCount)
		]);
		const clientDataJSON = this.clientData('webauthn.get', options.challenge, knobs);
		const signature = sign('sha256', Buffer.concat([authenticatorData, sha256(clientDataJSON)]), credential.privateKey);
		return {
			credentialId: b64url(credential.id),
			clientDataJSON: b64url(clientDataJSON),
			authenticatorData: b64url(authenticatorData),
			signature: b64url(signature),
			userHandle: b64url(credential.userHandle)
		};
	}
}
