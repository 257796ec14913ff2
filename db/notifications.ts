import { alias } from 'drizzle-orm/pg-core';
import { and, count, desc, eq, isNull } from 'drizzle-orm';
import { carePlan, notification, user } from './schema/index.ts';
import type { Database } from './types.ts';

/** What a notification is about, as a code; its words live where it is shown. */
export type NotificationKind = 'agreement-requested' | 'appointment-booked' | 'appointment-moved' | 'appointment-cancelled' | 'care-team-added';

export interface NewNotification {
	kind: NotificationKind;
	actorId: string | null;
	planId: string | null;
	params?: Record<string, string | number>;
}

/** Adds the same notification for each recipient (once each); nobody is told about what they did themselves. */
export async function addNotifications(db: Database, recipientIds: readonly string[], entry: NewNotification): Promise<void> {
	const recipients = [...new Set(recipientIds)].filter((id) => id !== entry.actorId);
	if (recipients.length === 0) return;
	await db
		.insert(notification)
		.values(recipients.map((recipientId) => ({ recipientId, kind: entry.kind, actorId: entry.actorId, planId: entry.planId, params: entry.params ?? {} })));
}

export interface NotificationView {
	id: string;
	kind: NotificationKind;
	params: Record<string, string | number>;
	createdAt: Date;
	readAt: Date | null;
	actorName: string | null;
	plan: { id: string; title: string; serviceUserId: string; serviceUserName: string } | null;
}

const planOwner = alias(user, 'plan_owner');

/** A person's own notifications, newest first (at most `limit`). */
export async function listNotifications(db: Database, recipientId: string, limit = 50): Promise<NotificationView[]> {
	const rows = await db
		.select({
			id: notification.id,
			kind: notification.kind,
			params: notification.params,
			createdAt: notification.createdAt,
			readAt: notification.readAt,
			actorName: user.displayName,
			planId: carePlan.id,
			planTitle: carePlan.title,
			serviceUserId: planOwner.id,
			serviceUserName: planOwner.displayName
		})
		.from(notification)
		.leftJoin(user, eq(notification.actorId, user.id))
		.leftJoin(carePlan, eq(notification.planId, carePlan.id))
		.leftJoin(planOwner, eq(carePlan.serviceUserId, planOwner.id))
		.where(eq(notification.recipientId, recipientId))
		.orderBy(desc(notification.createdAt), desc(notification.id))
		.limit(limit);
	return rows.map((row) => ({
		id: row.id,
		kind: row.kind as NotificationKind,
		params: row.params,
		createdAt: row.createdAt,
		readAt: row.readAt,
		actorName: row.actorName,
		plan: row.planId ? { id: row.planId, title: row.planTitle!, serviceUserId: row.serviceUserId!, serviceUserName: row.serviceUserName! } : null
	}));
}

/** How many of a person's notifications they have not read. */
export async function countUnreadNotifications(db: Database, recipientId: string): Promise<number> {
	const [row] = await db
		.select({ unread: count() })
		.from(notification)
		.where(and(eq(notification.recipientId, recipientId), isNull(notification.readAt)));
	return row?.unread ?? 0;
}

/**
 * Marks one of the recipient's notifications as read. @returns false when they have none with that id (someone
 * else's is treated as not there), true when it is read now or already was.
 */
export async function markNotificationRead(db: Database, recipientId: string, notificationId: string): Promise<boolean> {
	const rows = await db
		.update(notification)
		.set({ readAt: new Date() })
		.where(and(eq(notification.id, notificationId), eq(notification.recipientId, recipientId), isNull(notification.readAt)))
		.returning({ id: notification.id });
	if (rows.length > 0) return true;
	const [existing] = await db
		.select({ id: notification.id })
		.from(notification)
		.where(and(eq(notification.id, notificationId), eq(notification.recipientId, recipientId)));
	return existing !== undefined;
}

/** Marks all of the recipient's notifications as read. @returns how many were unread. */
export async function markAllNotificationsRead(db: Database, recipientId: string): Promise<number> {
	const rows = await db
		.update(notification)
		.set({ readAt: new Date() })
		.where(and(eq(notification.recipientId, recipientId), isNull(notification.readAt)))
		.returning({ id: notification.id });
	return rows.length;
}
