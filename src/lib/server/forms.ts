import type { RequestEvent } from '@sveltejs/kit';

/** Said when a form arrives unreadable (wrong content type, cut off). */
export const UNREADABLE_FORM = 'We could not read what was sent. Please reload the page and try again.';

/** The submitted form, or null when the body is not a readable form (answer 400, never 500). */
export async function readForm(event: Pick<RequestEvent, 'request'>): Promise<FormData | null> {
	try {
		return await event.request.formData();
	} catch {
		return null;
	}
}
