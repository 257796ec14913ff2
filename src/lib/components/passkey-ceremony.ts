// The browser's half of a passkey ceremony: ask the server for options (a form action, see src/lib/server/passkeys.ts),
// hand them to navigator.credentials, send the answer back. Binary values travel as base64url both ways.
import { deserialize } from '$app/forms';
import { goto, invalidateAll } from '$app/navigation';
import type { ActionResult } from '@sveltejs/kit';

/** True when this browser can use passkeys at all (the components hide themselves otherwise). */
export function passkeysSupported(): boolean {
	return typeof window !== 'undefined' && typeof window.PublicKeyCredential === 'function' && !!navigator.credentials;
}

function toBytes(text: string): Uint8Array<ArrayBuffer> {
	const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
	const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
	return Uint8Array.from(binary, (character) => character.charCodeAt(0));
}

function toText(buffer: ArrayBuffer | null): string {
	if (!buffer) return '';
	let binary = '';
	for (const byte of new Uint8Array(buffer)) binary += String.fromCharCode(byte);
	return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The action's URL on the passkey route, keeping where to go afterwards. */
export function actionUrl(base: string, action: string, next: string | null): string {
	return `${base}?/${action}${next ? `&next=${encodeURIComponent(next)}` : ''}`;
}

/** Posts to a form action as an enhanced form would, and reads its answer. Null when the server could not be reached. */
export async function postAction(url: string, fields: Record<string, string> = {}): Promise<ActionResult | null> {
	const body = new FormData();
	for (const [name, value] of Object.entries(fields)) body.append(name, value);
	try {
		const response = await fetch(url, { method: 'POST', body, headers: { accept: 'application/json', 'x-sveltekit-action': 'true' } });
		return deserialize(await response.text());
	} catch {
		return null;
	}
}

/** Follows an answer that sends the person on (signed in, second step done, or asked to confirm first). */
export async function follow(result: ActionResult): Promise<boolean> {
	if (result.type !== 'redirect') return false;
	await goto(result.location, { invalidateAll: true });
	return true;
}

export { invalidateAll };

/** The words of a refusal, if the answer is one. */
export function refusalMessage(result: ActionResult): string | null {
	if (result.type === 'failure') return typeof result.data?.message === 'string' ? result.data.message : null;
	if (result.type === 'error') return typeof result.error?.message === 'string' ? result.error.message : null;
	return null;
}

interface CreationOptionsJSON {
	challenge: string;
	rp: PublicKeyCredentialRpEntity;
	user: { id: string; name: string; displayName: string };
	pubKeyCredParams: PublicKeyCredentialParameters[];
	timeout: number;
	attestation: AttestationConveyancePreference;
	authenticatorSelection: AuthenticatorSelectionCriteria;
	excludeCredentials: { type: 'public-key'; id: string }[];
}

interface RequestOptionsJSON {
	challenge: string;
	rpId: string;
	timeout: number;
	userVerification: UserVerificationRequirement;
	allowCredentials: { type: 'public-key'; id: string }[];
}

/** Asks the device to make a passkey; the fields to post to `register`, or null when it did not (cancelled, refused, no device). */
export async function createPasskey(options: CreationOptionsJSON): Promise<Record<string, string> | null> {
	try {
		const credential = (await navigator.credentials.create({
			publicKey: {
				...options,
				challenge: toBytes(options.challenge),
				user: { ...options.user, id: toBytes(options.user.id) },
				excludeCredentials: options.excludeCredentials.map((item) => ({ type: item.type, id: toBytes(item.id) }))
			}
		})) as PublicKeyCredential | null;
		if (!credential) return null;
		const response = credential.response as AuthenticatorAttestationResponse;
		return { clientDataJSON: toText(response.clientDataJSON), attestationObject: toText(response.attestationObject) };
	} catch {
		return null;
	}
}

/** Asks the device to use a passkey; the fields to post back, or null when it did not. */
export async function usePasskey(options: RequestOptionsJSON): Promise<Record<string, string> | null> {
	try {
		const credential = (await navigator.credentials.get({
			publicKey: {
				...options,
				challenge: toBytes(options.challenge),
				allowCredentials: options.allowCredentials.map((item) => ({ type: item.type, id: toBytes(item.id) }))
			}
		})) as PublicKeyCredential | null;
		if (!credential) return null;
		const response = credential.response as AuthenticatorAssertionResponse;
		return {
			credentialId: toText(credential.rawId),
			clientDataJSON: toText(response.clientDataJSON),
			authenticatorData: toText(response.authenticatorData),
			signature: toText(response.signature),
			userHandle: toText(response.userHandle)
		};
	} catch {
		return null;
	}
}
