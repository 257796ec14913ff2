import { formatDateTime } from './dates.ts';

/** A stored notification as its recipient's list shows it (db/notifications.ts). */
export interface NotificationShown {
	kind: string;
	params: Record<string, string | number>;
	actorName: string | null;
	plan: { id: string; serviceUserId: string; serviceUserName: string } | null;
}

const someone = (notification: NotificationShown) => notification.actorName ?? 'Someone';
const when = (notification: NotificationShown, name = 'when') => formatDateTime(String(notification.params[name] ?? ''));

/** "your plan" or "Sam’s plan", for the person reading it. */
function whose(notification: NotificationShown, viewerId: string): string {
	const plan = notification.plan;
	if (!plan) return 'a plan';
	return plan.serviceUserId === viewerId ? 'your plan' : `${plan.serviceUserName}’s plan`;
}

/**
 * The words of each kind of notification (the translation layer replaces this table): what happened, and the words
 * of the link to where to act.
 */
const WORDS: Record<string, { says: (n: NotificationShown, viewerId: string) => string; link: string }> = {
	'agreement-requested': {
		says: (n, viewer) => `${someone(n)} asks whether you agree with “${n.params.name ?? ''}”, a version of ${whose(n, viewer)}.`,
		link: 'Read it and say if you agree'
	},
	'appointment-booked': {
		says: (n, viewer) => `${someone(n)} booked an appointment about ${whose(n, viewer)} for ${when(n)}.`,
		link: 'See the appointment'
	},
	'appointment-moved': {
		says: (n, viewer) => `${someone(n)} moved the appointment about ${whose(n, viewer)} from ${when(n, 'from')} to ${when(n)}.`,
		link: 'See the new time'
	},
	'appointment-cancelled': {
		says: (n, viewer) => `${someone(n)} cancelled the appointment about ${whose(n, viewer)} on ${when(n)}.`,
		link: 'See the appointments'
	},
	'care-team-added': {
		says: (n) =>
			`${someone(n)} added you to the care team of ${n.plan ? `${n.plan.serviceUserName}’s plan` : 'a plan'}. You can now open it and write it with them.`,
		link: 'Open the plan'
	}
};

/** What a notification says, for the person reading it. */
export function notificationWords(notification: NotificationShown, viewerId: string): string {
	return WORDS[notification.kind]?.says(notification, viewerId) ?? 'Something changed.';
}

/** Where to act on a notification, and the words of that link; null when its plan is gone. */
export function notificationLink(notification: NotificationShown): { href: string; text: string } | null {
	const plan = notification.plan;
	const words = WORDS[notification.kind];
	if (!plan || !words) return null;
	const href =
		notification.kind === 'agreement-requested'
			? `/plans/${plan.id}/versions`
			: notification.kind.startsWith('appointment-')
				? `/plans/${plan.id}#appointments-heading`
				: `/plans/${plan.id}`;
	return { href, text: words.link };
}
