import type { RequestEvent } from '@sveltejs/kit';

/** The full link to put in front of a person, built from the address they are using Chorus at. */
export function invitationLink(event: RequestEvent, token: string): string {
	return `${event.url.origin}/invite/${token}`;
}
