// Passkeys (WebAuthn level 2), verified here without any database: what the browser is asked for, and whether what
// it sends back is a passkey of this site, made or used with the person present and verified (a PIN, a fingerprint
// or a face: user verification is what lets a passkey count as two factors).
import { decodePKIXECDSASignature, decodeSEC1PublicKey, ECDSAPublicKey, p256, verifyECDSASignature } from '@oslojs/crypto/ecdsa';
import { decodePKCS1RSAPublicKey, RSAPublicKey, sha256ObjectIdentifier, verifyRSASSAPKCS1v15Signature } from '@oslojs/crypto/rsa';
import { sha256 } from '@oslojs/crypto/sha2';
import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from '@oslojs/encoding';
import {
	ClientDataType,
	COSEKeyType,
	coseAlgorithmES256,
	coseAlgorithmRS256,
	coseEllipticCurveP256,
	createAssertionSignatureMessage,
	parseAttestationObject,
	parseAuthenticatorData,
	parseClientDataJSON,
	type AuthenticatorData,
	type ClientData
} from '@oslojs/webauthn';
import { done, refused, type Outcome } from '../src/lib/shared/outcome.ts';

/** The site passkeys belong to: its origin, and the relying-party id (the origin's host name) they are scoped to. */
export interface RelyingParty {
	origin: string;
	id: string;
	name: string;
}

/** The relying party of an origin such as https://chorus.example.org. */
export function relyingPartyOf(origin: string): RelyingParty {
	return { origin, id: new URL(origin).hostname, name: 'Chorus' };
}

/** The algorithms we accept, in the order we prefer them: ES256, then RS256 (Windows Hello). */
export const PASSKEY_ALGORITHMS = [coseAlgorithmES256, coseAlgorithmRS256] as const;

/** How long the browser waits for the person (the challenge lives as long, db/passkeys.ts). */
const CEREMONY_TIMEOUT_MS = 5 * 60 * 1000;

/** A credential's id, the way WebAuthn's JSON forms carry binary values: base64url. */
export const toBase64url = (bytes: Uint8Array): string => encodeBase64urlNoPadding(bytes);

/** Bytes from base64url, or null when the text is none. */
export function fromBase64url(text: unknown): Uint8Array | null {
	if (typeof text !== 'string' || text === '' || text.length > 16_384) return null;
	try {
		return decodeBase64urlIgnorePadding(text);
	} catch {
		return null;
	}
}

/** The user handle of a person: the 16 bytes of their id. */
export function userHandleOf(userId: string): Uint8Array {
	const hex = userId.replace(/-/g, '');
	return Uint8Array.from({ length: 16 }, (_, index) => Number.parseInt(hex.slice(index * 2, index * 2 + 2), 16));
}

/** PublicKeyCredentialCreationOptions in their JSON form (binary values in base64url). */
export interface CreationOptionsJSON {
	challenge: string;
	rp: { id: string; name: string };
	user: { id: string; name: string; displayName: string };
	pubKeyCredParams: { type: 'public-key'; alg: number }[];
	timeout: number;
	attestation: 'none';
	authenticatorSelection: { residentKey: 'preferred'; requireResidentKey: false; userVerification: 'required' };
	excludeCredentials: { type: 'public-key'; id: string }[];
}

/** PublicKeyCredentialRequestOptions in their JSON form. */
export interface RequestOptionsJSON {
	challenge: string;
	rpId: string;
	timeout: number;
	userVerification: 'required';
	allowCredentials: { type: 'public-key'; id: string }[];
}

/** What to ask the browser for to make a passkey: one of ours, verified, not one the person already has. */
export function registrationOptions(
	rp: RelyingParty,
	challenge: Uint8Array,
	person: { id: string; username: string; displayName: string },
	existingCredentialIds: Uint8Array[]
): CreationOptionsJSON {
	return {
		challenge: toBase64url(challenge),
		rp: { id: rp.id, name: rp.name },
		user: { id: toBase64url(userHandleOf(person.id)), name: person.username, displayName: person.displayName },
		pubKeyCredParams: PASSKEY_ALGORITHMS.map((alg) => ({ type: 'public-key' as const, alg })),
		timeout: CEREMONY_TIMEOUT_MS,
		attestation: 'none',
		authenticatorSelection: { residentKey: 'preferred', requireResidentKey: false, userVerification: 'required' },
		excludeCredentials: existingCredentialIds.map((id) => ({ type: 'public-key' as const, id: toBase64url(id) }))
	};
}

/** What to ask the browser for to use a passkey: any of ours (passwordless), or one of the person's. */
export function authenticationOptions(rp: RelyingParty, challenge: Uint8Array, allowedCredentialIds: Uint8Array[]): RequestOptionsJSON {
	return {
		challenge: toBase64url(challenge),
		rpId: rp.id,
		timeout: CEREMONY_TIMEOUT_MS,
		userVerification: 'required',
		allowCredentials: allowedCredentialIds.map((id) => ({ type: 'public-key' as const, id: toBase64url(id) }))
	};
}

/** Why a passkey's answer is refused (each one means: not this passkey, not now). */
export type PasskeyProblem =
	| 'passkey-unreadable'
	| 'passkey-wrong-ceremony'
	| 'passkey-wrong-origin'
	| 'passkey-wrong-site'
	| 'passkey-not-verified'
	| 'passkey-algorithm'
	| 'passkey-signature'
	| 'passkey-cloned';

/** The browser's answer to navigator.credentials.create, as the page sends it on (base64url). */
export interface AttestationAnswer {
	clientDataJSON: Uint8Array;
	attestationObject: Uint8Array;
}

/** The browser's answer to navigator.credentials.get. */
export interface AssertionAnswer {
	credentialId: Uint8Array;
	clientDataJSON: Uint8Array;
	authenticatorData: Uint8Array;
	signature: Uint8Array;
	/** The user handle the authenticator returned (always, for a passwordless sign-in), or null. */
	userHandle: Uint8Array | null;
}

/** The challenge the browser signed, to look up and use up before anything else; null when the client data is unreadable. */
export function challengeOf(clientDataJSON: Uint8Array): Uint8Array | null {
	try {
		return parseClientDataJSON(clientDataJSON).challenge;
	} catch {
		return null;
	}
}

/** The checks common to both ceremonies: the right kind of request, from our origin, for our site, with the person verified. */
function checkCeremony(clientData: ClientData, authenticatorData: AuthenticatorData, type: ClientDataType, rp: RelyingParty): Outcome<void, PasskeyProblem> {
	if (clientData.type !== type) return refused('passkey-wrong-ceremony');
	// Our pages are never framed (X-Frame-Options: DENY), so a cross-origin ceremony is never one of ours.
	if (clientData.origin !== rp.origin || clientData.crossOrigin === true) return refused('passkey-wrong-origin');
	if (!authenticatorData.verifyRelyingPartyIdHash(rp.id)) return refused('passkey-wrong-site');
	if (!authenticatorData.userPresent || !authenticatorData.userVerified) return refused('passkey-not-verified');
	return done(undefined);
}

/** A passkey as stored: what verifies its signatures. */
export interface VerifiedCredential {
	credentialId: Uint8Array;
	algorithm: number;
	/** ES256: the SEC1 uncompressed point; RS256: the PKCS#1 public key. */
	publicKey: Uint8Array;
	signCount: number;
}

/**
 * Checks a new passkey (the challenge has been checked and used up by the caller): made in answer to
 * navigator.credentials.create on our origin, for our relying-party id, with the person present and verified, with
 * ES256 (P-256) or RS256. The attestation statement is not checked: we ask for none, and trust no maker of
 * authenticators more than another, so what it would prove is not used.
 */
export function verifyRegistration(answer: AttestationAnswer, rp: RelyingParty): Outcome<VerifiedCredential, PasskeyProblem> {
	let clientData: ClientData;
	let authenticatorData: AuthenticatorData;
	try {
		clientData = parseClientDataJSON(answer.clientDataJSON);
		authenticatorData = parseAttestationObject(answer.attestationObject).authenticatorData;
	} catch {
		return refused('passkey-unreadable');
	}
	const ceremony = checkCeremony(clientData, authenticatorData, ClientDataType.Create, rp);
	if (!ceremony.ok) return ceremony;
	const credential = authenticatorData.credential;
	if (!credential || credential.id.byteLength === 0 || credential.id.byteLength > 1023) return refused('passkey-unreadable');
	try {
		const key = credential.publicKey;
		const algorithm = key.algorithm();
		if (algorithm === coseAlgorithmES256 && key.type() === COSEKeyType.EC2) {
			const point = key.ec2();
			if (point.curve !== coseEllipticCurveP256) return refused('passkey-algorithm');
			const publicKey = new ECDSAPublicKey(p256, point.x, point.y).encodeSEC1Uncompressed();
			// Decoding checks the point is on the curve.
			decodeSEC1PublicKey(p256, publicKey);
			return done({ credentialId: credential.id, algorithm, publicKey, signCount: authenticatorData.signatureCounter });
		}
		if (algorithm === coseAlgorithmRS256 && key.type() === COSEKeyType.RSA) {
			const { n, e } = key.rsa();
			const publicKey = new RSAPublicKey(n, e).encodePKCS1();
			return done({ credentialId: credential.id, algorithm, publicKey, signCount: authenticatorData.signatureCounter });
		}
	} catch {
		return refused('passkey-unreadable');
	}
	return refused('passkey-algorithm');
}

/** True when the signature over the message verifies with the stored key. */
function signatureVerifies(credential: Pick<VerifiedCredential, 'algorithm' | 'publicKey'>, message: Uint8Array, signature: Uint8Array): boolean {
	try {
		if (credential.algorithm === coseAlgorithmES256) {
			return verifyECDSASignature(decodeSEC1PublicKey(p256, credential.publicKey), sha256(message), decodePKIXECDSASignature(signature));
		}
		if (credential.algorithm === coseAlgorithmRS256) {
			return verifyRSASSAPKCS1v15Signature(decodePKCS1RSAPublicKey(credential.publicKey), sha256ObjectIdentifier, sha256(message), signature);
		}
	} catch {
		return false;
	}
	return false;
}

/**
 * Checks the use of a stored passkey (the challenge has been checked and used up by the caller): answered to
 * navigator.credentials.get on our origin, for our relying-party id, with the person present and verified, signed
 * with the stored key. The signature counter must go up whenever the authenticator keeps one: a count that does not
 * means two copies of the key are in use, and the passkey is refused. Answers the new count.
 */
export function verifyAssertion(answer: AssertionAnswer, credential: VerifiedCredential, rp: RelyingParty): Outcome<{ signCount: number }, PasskeyProblem> {
	let clientData: ClientData;
	let authenticatorData: AuthenticatorData;
	try {
		clientData = parseClientDataJSON(answer.clientDataJSON);
		authenticatorData = parseAuthenticatorData(answer.authenticatorData);
	} catch {
		return refused('passkey-unreadable');
	}
	const ceremony = checkCeremony(clientData, authenticatorData, ClientDataType.Get, rp);
	if (!ceremony.ok) return ceremony;
	const message = createAssertionSignatureMessage(answer.authenticatorData, answer.clientDataJSON);
	if (!signatureVerifies(credential, message, answer.signature)) return refused('passkey-signature');
	const signCount = authenticatorData.signatureCounter;
	if ((signCount !== 0 || credential.signCount !== 0) && signCount <= credential.signCount) return refused('passkey-cloned');
	return done({ signCount });
}

/** Reads the attestation a page sends on (base64url fields); null when a part is missing or not base64url. */
export function readAttestationAnswer(fields: { clientDataJSON: unknown; attestationObject: unknown }): AttestationAnswer | null {
	const clientDataJSON = fromBase64url(fields.clientDataJSON);
	const attestationObject = fromBase64url(fields.attestationObject);
	return clientDataJSON && attestationObject ? { clientDataJSON, attestationObject } : null;
}

/** Reads the assertion a page sends on (base64url fields; the user handle may be empty); null when a part is missing. */
export function readAssertionAnswer(fields: {
	credentialId: unknown;
	clientDataJSON: unknown;
	authenticatorData: unknown;
	signature: unknown;
	userHandle: unknown;
}): AssertionAnswer | null {
	const credentialId = fromBase64url(fields.credentialId);
	const clientDataJSON = fromBase64url(fields.clientDataJSON);
	const authenticatorData = fromBase64url(fields.authenticatorData);
	const signature = fromBase64url(fields.signature);
	if (!credentialId || !clientDataJSON || !authenticatorData || !signature) return null;
	return { credentialId, clientDataJSON, authenticatorData, signature, userHandle: fromBase64url(fields.userHandle) };
}
