// The passkey routes share one way of talking to the browser: SvelteKit form actions, called from the passkey
// components with fetch and read with `deserialize` (src/lib/components/PasskeyRegister.svelte, PasskeySignIn.svelte).
// Form actions get SvelteKit's own cross-site check (a form POST from another origin is refused) and answer redirects
// and failures the way every other form here does, so no JSON endpoint with an origin check of its own is needed.
import type { RequestEvent } from '@sveltejs/kit';
import type { AssertionFields } from '$commands/passkeys';
import { relyingPartyOf, type RelyingParty } from '../../../server/passkeys';
import { publicOrigin } from './settings';

/**
 * The site passkeys are made for: ORIGIN when it is set (as it must be behind a proxy), otherwise the address the
 * request came to. Either way the browser signs the origin it really showed, which is then checked against this.
 */
export function relyingParty(event: Pick<RequestEvent, 'url'>): RelyingParty {
	return relyingPartyOf(publicOrigin(event));
}

/** The fields of navigator.credentials.get's answer, as the component posts them. */
export function assertionFields(form: FormData | null): AssertionFields {
	return {
		credentialId: form?.get('credentialId'),
		clientDataJSON: form?.get('clientDataJSON'),
		authenticatorData: form?.get('authenticatorData'),
		signature: form?.get('signature'),
		userHandle: form?.get('userHandle')
	};
}
