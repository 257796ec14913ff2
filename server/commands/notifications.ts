import { addNotifications, markAllNotificationsRead, markNotificationRead, type NewNotification } from '../../db/notifications.ts';
import { done, refused, type Outcome } from '../../src/lib/shared/outcome.ts';
import { isUuid } from '../../src/lib/shared/validation.ts';
import { personOf, type CommandContext } from './actor.ts';

/**
 * Tells people about something the actor did (never the actor themselves): stored as a code and params, for each
 * recipient's own list.
 */
export function notify(context: CommandContext, recipientIds: readonly string[], entry: Omit<NewNotification, 'actorId'>): Promise<void> {
	return addNotifications(context.db, recipientIds, { ...entry, actorId: personOf(context.actor)?.id ?? null });
}

/** Which notification, as sent; null when what was sent could not be read. */
export type NotificationInput = { notification: unknown } | null;

/** Marks one of the asker's own notifications as read; anyone else's is answered as not there. */
export async function readNotification(
	context: CommandContext,
	input: NotificationInput
): Promise<Outcome<{ code: 'notification-read' }, 'not-allowed' | 'form-unreadable' | 'notification-not-found'>> {
	const person = personOf(context.actor);
	if (!person) return refused('not-allowed');
	if (!input) return refused('form-unreadable');
	if (!isUuid(input.notification) || !(await markNotificationRead(context.db, person.id, input.notification))) return refused('notification-not-found');
	return done({ code: 'notification-read' });
}

/** Marks all of the asker's notifications as read. */
export async function readAllNotifications(context: CommandContext): Promise<Outcome<{ code: 'notifications-all-read' }, 'not-allowed'>> {
	const person = personOf(context.actor);
	if (!person) return refused('not-allowed');
	await markAllNotificationsRead(context.db, person.id);
	return done({ code: 'notifications-all-read' });
}
