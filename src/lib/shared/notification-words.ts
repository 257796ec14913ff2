import { m } from '../paraglide/messages.js';
import { formatDateTime } from './dates.ts';
import { versionName } from './version-names.ts';

/** A stored notification as its recipient's list shows it (db/notifications.ts). */
export interface NotificationShown {
	kind: string;
	params: Record<string, string | number>;
	actorName: string | null;
	plan: { id: string; serviceUserId: string; serviceUserName: string } | null;
}

/** What the words of a notification need: who did it, whose plan it is about (the reader's own, someone's, none left). */
function inputsOf(notification: NotificationShown, viewerId: string) {
	const plan = notification.plan;
	return {
		actor: notification.actorName ?? m.notifications_someone(),
		owner: plan?.serviceUserName ?? '',
		whose: !plan ? 'none' : plan.serviceUserId === viewerId ? 'own' : 'other'
	};
}

const when = (notification: NotificationShown, name = 'when') => formatDateTime(String(notification.params[name] ?? ''));

/** The words of each kind of notification, looked up when shown (in the reader's language): what happened, and the link to where to act. */
const WORDS: Record<string, { says: (n: NotificationShown, viewerId: string) => string; link: () => string }> = {
	'agreement-requested': {
		// A version nobody named is named when shown, in the reader's words (only a name someone gave is stored).
		says: (n, viewer) => {
			const given = typeof n.params.name === 'string' && n.params.name !== '' ? n.params.name : null;
			const name = given ?? (n.params.at ? versionName({ kind: 'agreement', name: null, createdAt: String(n.params.at) }) : '');
			return m.notifications_agreement_requested({ ...inputsOf(n, viewer), name });
		},
		link: () => m.notifications_link_agreement()
	},
	'appointment-booked': {
		says: (n, viewer) => m.notifications_appointment_booked({ ...inputsOf(n, viewer), when: when(n) }),
		link: () => m.notifications_link_booked()
	},
	'appointment-moved': {
		says: (n, viewer) => m.notifications_appointment_moved({ ...inputsOf(n, viewer), from: when(n, 'from'), when: when(n) }),
		link: () => m.notifications_link_moved()
	},
	'appointment-cancelled': {
		says: (n, viewer) => m.notifications_appointment_cancelled({ ...inputsOf(n, viewer), when: when(n) }),
		link: () => m.notifications_link_cancelled()
	},
	'care-team-added': {
		says: (n, viewer) => m.notifications_care_team_added(inputsOf(n, viewer)),
		link: () => m.notifications_link_care_team()
	}
};

/** What a notification says, for the person reading it. */
export function notificationWords(notification: NotificationShown, viewerId: string): string {
	return WORDS[notification.kind]?.says(notification, viewerId) ?? m.notifications_something_changed();
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
	return { href, text: words.link() };
}
