import { formatDateTime } from './dates.ts';
import type { HistoryQueryCode } from './history-query.ts';
import type { OutcomeParams, Refusal } from './outcome.ts';
import { PLAN_SECTIONS } from './plan-sections.ts';
import { plural } from './plural.ts';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, type InvalidCode } from './validation.ts';

type Words = (params: OutcomeParams) => string;

const text = (params: OutcomeParams, name: string): string => String(params[name] ?? '');

/**
 * The words for every result code, in one place: what a page, an API answer or the command line says for it.
 * The translation layer replaces this table; no command or check ever returns a sentence.
 */
const WORDS = {
	// Validation (src/lib/shared/validation.ts).
	'username-missing': () => 'Please enter a username.',
	'username-length': () => 'A username is 3 to 40 characters long.',
	'username-characters': () => 'A username may use letters, numbers, dots, dashes and underscores, and starts with a letter or number.',
	'name-missing': () => 'Please enter the name people will see.',
	'name-too-long': () => 'A name can be at most 100 characters long.',
	'password-missing': () => 'Please choose a password.',
	'password-too-short': () => `Your password needs at least ${PASSWORD_MIN_LENGTH} characters. A few words together work well.`,
	'password-too-long': () => `A password can be at most ${PASSWORD_MAX_LENGTH} characters long.`,
	'password-too-common': () => 'That password is too easy to guess. Please choose another.',
	'password-contains-username': () => 'Your password should not contain your username.',
	'role-invalid': () => 'Please choose a role: service_user, professional, supervisor or admin.',
	'discipline-missing': () => 'Please choose the professional’s discipline.',
	'discipline-invalid': () => 'Please choose a discipline: social_worker, nurse, psychologist, psychiatrist, occupational_therapist or peer_worker.',
	'team-name-missing': () => 'Please enter a team name.',
	'team-name-length': () => 'A team name is 2 to 100 characters long.',
	'plan-title-missing': () => 'Please give the plan a title.',
	'plan-title-too-long': () => 'A plan title can be at most 200 characters long.',
	'date-format': () => 'Please enter the date as year-month-day, for example 2027-03-31.',
	'date-impossible': () => 'That date does not exist. Please check it.',
	'plan-status-invalid': () => 'Please choose a status for the plan.',
	'date-time-missing': () => 'Please choose a date and a time.',
	'date-time-impossible': () => 'That date or time does not exist. Please check it.',

	// History queries (src/lib/shared/history-query.ts).
	'query-whole-number': (p) => `"${text(p, 'name')}" must be a whole number of 0 or more.`,
	'query-limit': (p) => `"limit" must be a whole number from 1 to ${text(p, 'max')}.`,
	'query-person': () => '"person" must be the id of a person.',
	'query-section': (p) => `"section" must be one of: ${text(p, 'sections')}.`,

	// Forms in general.
	'form-unreadable': () => 'We could not read what was sent. Please reload the page and try again.',

	// Signing in (server/commands/sessions.ts).
	'sign-in-incomplete': () => 'Please enter both your username and your password.',
	'sign-in-mismatch': () => 'That username and password do not match. Please check them and try again.',
	'sign-in-throttled': (p) =>
		`There have been too many attempts to sign in ${p.scope === 'account' ? 'to this account' : 'from this device'}. ` +
		`For your safety, please wait ${minutes(Number(p.minutes))} and try again. ` +
		'If you have forgotten your password, ask your care team or administrator for a new sign-in link.',
	'current-password-wrong': () => 'Your current password is not right. Please try again.',
	'new-passwords-differ': () => 'The two new passwords are not the same. Please type them again.',
	'password-changed': () => 'Your password has been changed. You have been signed out on your other devices.',

	// People, teams, care teams, plans (server/commands/people.ts, teams.ts, care-teams.ts, plans.ts).
	'not-allowed': () => 'This is not available with your account.',
	'account-not-found': (p) => (p.username ? `There is no account with the username "${text(p, 'username')}".` : 'We could not find that account.'),
	'account-disabled': (p) => `${text(p, 'name')}’s account is disabled. Enable it first.`,
	'username-taken': (p) => `The username “${text(p, 'username')}” is already taken. Please choose another.`,
	'own-account': () => 'You cannot disable your own account.',
	'last-admin': () => 'This is the last administrator; add another before disabling it.',
	'account-created': (p) => `Account created for ${text(p, 'name')}.`,
	'sign-in-link-made': (p) => `New sign-in link for ${text(p, 'name')}.`,
	'account-disabled-now': (p) => `${text(p, 'name')}’s account is disabled and they have been signed out everywhere.`,
	'account-enabled': (p) => `${text(p, 'name')} can sign in again.`,
	'team-not-found': (p) => (p.name ? `There is no team called "${text(p, 'name')}".` : 'That team no longer exists. Please choose another.'),
	'team-name-taken': (p) => `There is already a team called “${text(p, 'name')}”.`,
	'team-created': (p) => `Team “${text(p, 'name')}” created.`,
	'team-and-person-missing': () => 'Please choose a team and a person.',
	'admin-not-in-teams': () => 'Administrators do not join teams.',
	'team-joined': (p) => `${text(p, 'name')} joined ${text(p, 'team')}.`,
	'team-already-member': (p) => `${text(p, 'name')} is already in ${text(p, 'team')}.`,
	'team-left': (p) => `${text(p, 'name')} has left ${text(p, 'team')}.`,
	'plan-id-invalid': () => 'Please choose a professional.',
	'choose-professional': () => 'Please choose a professional.',
	'plan-gone': () => 'That plan no longer exists.',
	'not-a-service-user': () => 'Please choose the person the plan belongs to.',
	'not-a-professional': () => 'Only professionals can join a care team.',
	'plan-or-person-gone': () => 'That plan or person no longer exists.',
	'care-team-added': () => 'Added to the care team.',
	'care-team-already-member': () => 'They are already on this care team.',
	'care-team-removed': () => 'Removed from the care team. They can no longer open this plan.',
	'plan-created': (p) => `Plan created for ${text(p, 'name')}. Now add the professionals to the care team.`,

	// Sign-in links (server/commands/invitations.ts).
	'link-used': () => 'This link has already been used. Each link works once. If you need a new one, ask your care team or administrator.',
	'link-revoked': () => 'This link no longer works: a newer link was made, or it was cancelled. If you need one, ask your care team or administrator.',
	'link-expired': () => 'This link has expired. Please ask your care team or administrator for a new one.',
	'link-unknown': () => 'This link is not valid. Please check that you copied all of it, or ask for a new one.',
	'link-for-someone-else': (p) =>
		`You are signed in as ${text(p, 'name')}, and this link is for someone else. Please sign out first, then open the link again. If the link is for you, open it on your own device.`,
	'passwords-differ': () => 'The two passwords are not the same. Please type them again.',
	'care-team-only': () => 'Only the professionals on this care team can create a sign-in link.',
	'links-none-open': () => 'There was no open link to cancel: it may have been used, or have expired, a moment ago.',
	'links-cancelled': () => 'The sign-in link is cancelled. It no longer works, and your password stays as it is.',
	'link-notices-dismissed': () => 'Thank you. The link stays listed under “Sign-in links for my account” on this page.',
	// Plans, appointments, versions, restore, exports (server/commands/plan-access.ts, plan-details.ts,
	// appointments.ts, versions.ts, restore.ts, exports.ts) and the plan and audit pages.
	'sign-in-required': () => 'Please sign in.',
	'plan-not-found': () => 'We could not find that plan. It may not exist, or it is not shared with you.',
	'plan-details-care-team-only': () => 'Only the professionals on this care team can change the plan details.',
	'plan-details-saved': () => 'Plan details saved.',
	'appointments-care-team-only': () => 'Only the professionals on this care team can book, start or end appointments.',
	'appointment-place-too-long': (p) => `Please keep the place under ${text(p, 'max')} characters.`,
	'appointment-attendees-invalid': () => 'Attendees must be the person and members of their care team.',
	'appointment-attendees-missing': () => 'Please choose who will be there.',
	'appointment-not-found': () => 'This plan has no such appointment.',
	'appointment-already-running': () => 'An appointment is already running for this plan. End it first.',
	'appointment-already-started': () => 'This appointment has already started.',
	'appointment-not-running': () => 'This appointment is not running.',
	'appointment-booked': () => 'The appointment is booked.',
	'appointment-started': () => 'The appointment has started. Changes from now on count as made together.',
	'appointment-ended': (p) => `The appointment has ended. The plan is saved as “${text(p, 'name')}”.`,
	'versions-plan-people-only': () => 'Only the person whose plan it is and their care team can do this.',
	'version-name-too-long': (p) => `A version name is at most ${text(p, 'max')} characters.`,
	'version-missing': () => 'Please choose a version.',
	'version-not-found': () => 'This plan has no such version.',
	'version-saved': (p) => `“${text(p, 'name')}” is saved.`,
	'version-agreement-proposed': (p) => `“${text(p, 'name')}” is saved with your agreement. It becomes agreed once both sides have said they agree.`,
	'sign-off-decision-missing': () => 'Please say whether you agree.',
	'sign-off-disagree-owner-only': () => 'Only the person whose plan it is can record that they do not agree. Talk it through with them and save a new version.',
	'sign-off-reason-missing': () => 'Please say, in your own words, what you do not agree with.',
	'sign-off-reason-too-long': (p) => `Please keep it under ${text(p, 'max')} characters.`,
	'sign-off-agreed': (p) => `You agreed to “${text(p, 'name')}”.`,
	'sign-off-disagreed': (p) => `Your answer on “${text(p, 'name')}” is saved, with your reason.`,
	'restore-plan-people-only': () => 'Only the person whose plan it is and their care team can bring back an earlier version.',
	'restore-target-missing': () => 'Please choose a section, or the whole plan, to bring back.',
	'restore-not-confirmed': () => 'Please confirm that you want to bring this back.',
	'plan-restored': (p) => `${restoredPart(p)} is back as it was in this version. This shows in the history as your change.`,
	'compare-order': () => 'The earlier version must come before the later one.',
	'involvement-supervisors-only': () => 'The involvement audit is for supervisors.',
	'export-format-invalid': () => '"format" must be json or csv.',
	'team-choice-needed': () => 'Please choose a team: ?team=<team id>.',
	'team-id-invalid': () => '"team" must be the id of a team.',
	'team-not-overseen': () => 'We could not find that team among the teams you oversee.',
	'plan-not-measured': () => 'This plan has not been measured yet. Please try again in a moment.',

	// Waiting for you: moving and cancelling appointments, notifications, a team's crisis contact
	// (server/commands/appointments.ts, notifications.ts, teams.ts).
	'appointment-in-past': () => 'That time has already passed. Please choose a date and time from now on. Everything else you entered is still here.',
	'appointment-cancelled': () => 'This appointment was cancelled, so it can no longer be started or changed.',
	'appointment-moved': (p) => `The appointment is moved to ${formatDateTime(text(p, 'when'))}. Everyone asked to it has been told.`,
	'appointment-cancelled-now': () => 'The appointment is cancelled. Everyone asked to it has been told.',
	'notification-not-found': () => 'We could not find that notification. It may already be gone.',
	'notification-read': () => 'Marked as read.',
	'notifications-all-read': () => 'All marked as read.',
	'crisis-contact-name-missing': () => 'Please say who people can contact, for example “Riverside crisis line”.',
	'crisis-contact-phone-invalid': () => 'Please enter a phone number people can call, using numbers, spaces and + only.',
	'crisis-contact-hours-missing': () => 'Please say when people can use it, for example “Evenings, nights and weekends”.',
	'crisis-contact-too-long': (p) => `Please keep this under ${text(p, 'max')} characters.`,
	'crisis-contact-saved': (p) => `The crisis contact for ${text(p, 'team')} is saved. It shows on every page of the team’s plans.`,
	'crisis-contact-cleared': (p) => `The crisis contact for ${text(p, 'team')} is removed.`,

	// — Editing people, devices, team checks (issue 12: server/commands/person-details.ts, sessions.ts, plans.ts, care-teams.ts) —
	'person-details-saved': (p) => `${text(p, 'name')}’s details are saved.`,
	'person-details-unchanged': (p) => `Nothing changed: ${text(p, 'name')}’s details were already like that.`,
	'session-not-found': () => 'That device is already signed out.',
	'session-ended': () => 'That device is signed out. Anything open there closes now.',
	'person-not-in-team': (p) =>
		`${text(p, 'name')} is not in the team “${text(p, 'team')}”, so nobody there knows them yet. Add them to the team first, or start the plan there anyway if that is what you meant.`,
	'professional-not-in-team': (p) =>
		`${text(p, 'name')} is not in this plan’s team, “${text(p, 'team')}”. Add them to the team first, or add them to the care team anyway if they are helping out from another team.`,

	// — Restores that are never silent, and their undo (issue 12: server/commands/restore.ts, the plans/[id]/at/[seq] page) —
	'restore-no-change': (p) => (p.target === 'plan' ? 'The whole plan is the same as now: there is nothing to bring back.' : 'This section is the same as now.'),
	'restore-preview-outdated': () =>
		'The plan has changed since you looked at what would change. Nothing was brought back: please look at what will change again, then confirm.',
	'restore-undo-not-a-restore': () => 'That change did not bring back an earlier version, so there is nothing to undo.',
	'restore-undo-not-yours': () => 'Only the person whose plan it is, and whoever brought it back, can undo this.',
	'restore-undo-outdated': () =>
		'This can no longer be undone here, because it has changed since. Every earlier version is still in the history, where you can bring one back.',
	'restore-undone': (p) => `Undone: ${restoredPart(p, false)} is as it was before. This shows in the history as your change.`,

	// A record people can trust: links that stopped working, and why (issue 12; server/commands/invitations.ts).
	'link-replaced': () =>
		'This link has been replaced by a newer one, so it no longer works. Nothing is wrong with your account. Please use the newest link you were given, or ask your care team or administrator for one.',
	'link-other-used': () =>
		'This link no longer works, because a newer link for the same account has already been used to choose a password. If that was not you, please tell your care team or administrator.',
	'link-cancelled': () => 'This link was cancelled, so it no longer works. If you need one, please ask your care team or administrator.',

	// Language (issue 13: server/commands/preferences.ts).
	'language-unknown': () => 'Please choose one of the languages in the list.'
} satisfies Record<InvalidCode | HistoryQueryCode, Words> & Record<string, Words>;

/** What a restore brought back: "The whole plan", or the section's title in quotes. */
function restoredPart(params: OutcomeParams, capital = true): string {
	const section = PLAN_SECTIONS.find((candidate) => candidate.id === params.target);
	return section ? `“${section.title}”` : capital ? 'The whole plan' : 'the whole plan';
}

function minutes(n: number): string {
	return plural(n, 'minute');
}

/** Every code Chorus can answer with. */
export type OutcomeCode = keyof typeof WORDS;

/** The words for a result code (a refusal, or a success code such as 'account-created'). */
export function wordsFor(outcome: { code: OutcomeCode; params?: OutcomeParams }): string {
	return WORDS[outcome.code](outcome.params ?? {});
}

/** A refusal as a form action returns it: the code for code, the words for the page. */
export function describedRefusal<C extends OutcomeCode>(refusal: Refusal<C>): { code: C; message: string } {
	return { code: refusal.code, message: wordsFor(refusal) };
}
