import { listNotifications } from '$db/notifications';
import type { SessionUser } from '$db/session';
import { db } from './db';

/** The notifications page: the signed-in person's own notifications, newest first; nobody else's are ever read. */
export async function loadNotificationsPage(user: SessionUser) {
	return { me: user.id, notifications: await listNotifications(db(), user.id) };
}
