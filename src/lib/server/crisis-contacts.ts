import { findPlanCrisisContact, listCrisisContacts } from '$db/crisis-contacts';
import { getPlanAccess } from '$db/plans';
import type { RequestEvent } from '@sveltejs/kit';
import { isUuid } from '$lib/shared/validation';
import type { CrisisContactView } from '$lib/shared/crisis-contact';
import { db } from './db';

const view = (contact: { name: string; phone: string; hours: string; note: string | null }): CrisisContactView => ({
	name: contact.name,
	phone: contact.phone,
	hours: contact.hours,
	note: contact.note
});

/** Each team's crisis contact (or null), for the teams admin page. */
export async function loadTeamCrisisContacts(teamIds: string[]): Promise<Record<string, CrisisContactView | null>> {
	const contacts = await listCrisisContacts(db(), teamIds);
	return Object.fromEntries(teamIds.map((id) => [id, contacts.has(id) ? view(contacts.get(id)!) : null]));
}

/**
 * The crisis contact of a plan's team, for every page of the plan. It checks access itself (a layout's data is not
 * guarded by its pages), quietly: the page's own load answers 404 and records the refusal.
 */
export async function loadPlanCrisisContact(event: Pick<RequestEvent<{ id: string }>, 'locals' | 'params'>): Promise<CrisisContactView | null> {
	const user = event.locals.user;
	if (!user || !isUuid(event.params.id) || !(await getPlanAccess(db(), user, event.params.id))) return null;
	const contact = await findPlanCrisisContact(db(), event.params.id);
	return contact ? view(contact) : null;
}
