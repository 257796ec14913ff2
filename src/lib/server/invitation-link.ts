import type { RequestEvent } from '@sveltejs/kit';

/**
 * The full link to put in front of a person, built from the address they are using Chorus at; null when the answer
 * repeats an earlier one (a form sent twice): the link was shown in that answer only.
 */
export function invitationLink(event: RequestEvent, token: string | null): string | null {
	return token === null ? null : `${event.url.origin}/invite/${token}`;
}
