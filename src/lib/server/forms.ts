import type { RequestEvent } from '@sveltejs/kit';
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
