import type { RequestEvent } from '@sveltejs/kit';
import type { CommandContext } from '$commands/actor';
import { refused } from '$lib/shared/outcome';

/** Answered when a form arrives unreadable (wrong content type, cut off). */
export const UNREADABLE = refused('form-unreadable');

/** The submitted form, or null when the body is not a readable form (answer 400, never 500). */
export async function readForm(event: Pick<RequestEvent, 'request'>): Promise<FormData | null> {
	try {
		return await event.request.formData();
	} catch {
		return null;
	}
}

/** The hidden field that carries a form's request key. */
export const REQUEST_KEY_FIELD = 'requestKey';

const REQUEST_KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A new request key for a form that creates something: the page's load renders one, and a fresh one after every
 * success (a load runs again), so a double click is carried out once and a second, deliberate action still works.
 */
export function mintRequestKey(): string {
	return crypto.randomUUID();
}

/** The command context with the submitted form's request key (none when missing or malformed: the command just runs). */
export function withRequestKey(context: CommandContext, form: FormData | null): CommandContext {
	const key = form?.get(REQUEST_KEY_FIELD);
	return { ...context, requestKey: typeof key === 'string' && REQUEST_KEY.test(key) ? key : null };
}
