import { m } from '../paraglide/messages.js';
import { getLocale } from '../paraglide/runtime.js';
import { formatDateTime } from './dates.ts';
import type { HistoryQueryCode } from './history-query.ts';
import { LOCALES } from './locale.ts';
import type { OutcomeParams, Refusal } from './outcome.ts';
import { PLAN_SECTIONS } from './plan-sections.ts';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, type InvalidCode } from './validation.ts';

type Words = (params: OutcomeParams) => string;

const text = (params: OutcomeParams, name: string): string => String(params[name] ?? '');

/**
 * The words for every result code, in one place: what a page, an API answer or the command line says for it, in
 * the language of the page being rendered (messages/*.json, `outcome_<code>`; the command line, outside any
 * request, gets English). Each entry looks its message up when called; no command or check ever returns a sentence.
 */
const WORDS = {
	// Validation (src/lib/shared/validation.ts).
	'username-missing': () => m.outcome_username_missing(),
	'username-length': () => m.outcome_username_length(),
	'username-characters': () => m.outcome_username_characters(),
	'name-missing': () => m.outcome_name_missing(),
	'name-too-long': () => m.outcome_name_too_long(),
	'password-missing': () => m.outcome_password_missing(),
	'password-too-short': () => m.outcome_password_too_short({ min: PASSWORD_MIN_LENGTH }),
	'password-too-long': () => m.outcome_password_too_long({ max: PASSWORD_MAX_LENGTH }),
	'password-too-common': () => m.outcome_password_too_common(),
	'password-contains-username': () => m.outcome_password_contains_username(),
	'role-invalid': () => m.outcome_role_invalid(),
	'discipline-missing': () => m.outcome_discipline_missing(),
	'discipline-invalid': () => m.outcome_discipline_invalid(),
	'team-name-missing': () => m.outcome_team_name_missing(),
	'team-name-length': () => m.outcome_team_name_length(),
	'plan-title-missing': () => m.outcome_plan_title_missing(),
	'plan-title-too-long': () => m.outcome_plan_title_too_long(),
	'date-format': () => m.outcome_date_format(),
	'date-impossible': () => m.outcome_date_impossible(),
	'plan-status-invalid': () => m.outcome_plan_status_invalid(),
	'date-time-missing': () => m.outcome_date_time_missing(),
	'date-time-impossible': () => m.outcome_date_time_impossible(),

	// History queries (src/lib/shared/history-query.ts).
	'query-whole-number': (p) => m.outcome_query_whole_number({ name: text(p, 'name') }),
	'query-limit': (p) => m.outcome_query_limit({ max: text(p, 'max') }),
	'query-person': () => m.outcome_query_person(),
	'query-section': (p) => m.outcome_query_section({ sections: text(p, 'sections') }),

	// Forms in general.
	'form-unreadable': () => m.outcome_form_unreadable(),

	// Signing in (server/commands/sessions.ts).
	'sign-in-incomplete': () => m.outcome_sign_in_incomplete(),
	'sign-in-mismatch': () => m.outcome_sign_in_mismatch(),
	'sign-in-throttled': (p) => m.outcome_sign_in_throttled({ scope: text(p, 'scope'), minutes: Number(p.minutes) }),
	'current-password-wrong': () => m.outcome_current_password_wrong(),
	'new-passwords-differ': () => m.outcome_new_passwords_differ(),
	'password-changed': () => m.outcome_password_changed(),

	// People, teams, care teams, plans (server/commands/people.ts, teams.ts, care-teams.ts, plans.ts).
	'not-allowed': () => m.outcome_not_allowed(),
	'account-not-found': (p) => (p.username ? m.outcome_account_not_found_username({ username: text(p, 'username') }) : m.outcome_account_not_found()),
	'account-disabled': (p) => m.outcome_account_disabled({ name: text(p, 'name') }),
	'username-taken': (p) => m.outcome_username_taken({ username: text(p, 'username') }),
	'own-account': () => m.outcome_own_account(),
	'last-admin': () => m.outcome_last_admin(),
	'account-created': (p) => m.outcome_account_created({ name: text(p, 'name') }),
	'sign-in-link-made': (p) => m.outcome_sign_in_link_made({ name: text(p, 'name') }),
	'account-disabled-now': (p) => m.outcome_account_disabled_now({ name: text(p, 'name') }),
	'account-enabled': (p) => m.outcome_account_enabled({ name: text(p, 'name') }),
	'second-factors-reset': (p) => m.outcome_second_factors_reset({ name: text(p, 'name') }),
	'team-not-found': (p) => (p.name ? m.outcome_team_not_found_name({ name: text(p, 'name') }) : m.outcome_team_not_found()),
	'team-name-taken': (p) => m.outcome_team_name_taken({ name: text(p, 'name') }),
	'team-created': (p) => m.outcome_team_created({ name: text(p, 'name') }),
	'team-and-person-missing': () => m.outcome_team_and_person_missing(),
	'admin-not-in-teams': () => m.outcome_admin_not_in_teams(),
	'team-joined': (p) => m.outcome_team_joined({ name: text(p, 'name'), team: text(p, 'team') }),
	'team-already-member': (p) => m.outcome_team_already_member({ name: text(p, 'name'), team: text(p, 'team') }),
	'team-left': (p) => m.outcome_team_left({ name: text(p, 'name'), team: text(p, 'team') }),
	'plan-id-invalid': () => m.outcome_plan_id_invalid(),
	'choose-professional': () => m.outcome_choose_professional(),
	'plan-gone': () => m.outcome_plan_gone(),
	'not-a-service-user': () => m.outcome_not_a_service_user(),
	'not-a-professional': () => m.outcome_not_a_professional(),
	'plan-or-person-gone': () => m.outcome_plan_or_person_gone(),
	'care-team-added': () => m.outcome_care_team_added(),
	'care-team-already-member': () => m.outcome_care_team_already_member(),
	'care-team-removed': () => m.outcome_care_team_removed(),
	'plan-created': (p) => m.outcome_plan_created({ name: text(p, 'name') }),

	// Sign-in links (server/commands/invitations.ts).
	'link-used': () => m.outcome_link_used(),
	'link-revoked': () => m.outcome_link_revoked(),
	'link-expired': () => m.outcome_link_expired(),
	'link-unknown': () => m.outcome_link_unknown(),
	'link-for-someone-else': (p) => m.outcome_link_for_someone_else({ name: text(p, 'name') }),
	'passwords-differ': () => m.outcome_passwords_differ(),
	'care-team-only': () => m.outcome_care_team_only(),
	'links-none-open': () => m.outcome_links_none_open(),
	'links-cancelled': () => m.outcome_links_cancelled(),
	'link-notices-dismissed': () => m.outcome_link_notices_dismissed(),
	// Plans, appointments, versions, restore, exports (server/commands/plan-access.ts, plan-details.ts,
	// appointments.ts, versions.ts, restore.ts, exports.ts) and the plan and audit pages.
	'sign-in-required': () => m.outcome_sign_in_required(),
	'plan-not-found': () => m.outcome_plan_not_found(),
	'plan-details-care-team-only': () => m.outcome_plan_details_care_team_only(),
	'plan-details-saved': () => m.outcome_plan_details_saved(),
	'appointments-care-team-only': () => m.outcome_appointments_care_team_only(),
	'appointment-place-too-long': (p) => m.outcome_appointment_place_too_long({ max: text(p, 'max') }),
	'appointment-attendees-invalid': () => m.outcome_appointment_attendees_invalid(),
	'appointment-attendees-missing': () => m.outcome_appointment_attendees_missing(),
	'appointment-not-found': () => m.outcome_appointment_not_found(),
	'appointment-already-running': () => m.outcome_appointment_already_running(),
	'appointment-already-started': () => m.outcome_appointment_already_started(),
	'appointment-not-running': () => m.outcome_appointment_not_running(),
	'appointment-booked': () => m.outcome_appointment_booked(),
	'appointment-started': () => m.outcome_appointment_started(),
	'appointment-ended': (p) => m.outcome_appointment_ended({ name: text(p, 'name') }),
	'versions-plan-people-only': () => m.outcome_versions_plan_people_only(),
	'version-name-too-long': (p) => m.outcome_version_name_too_long({ max: text(p, 'max') }),
	'version-missing': () => m.outcome_version_missing(),
	'version-not-found': () => m.outcome_version_not_found(),
	'version-saved': (p) => m.outcome_version_saved({ name: text(p, 'name') }),
	'version-agreement-proposed': (p) => m.outcome_version_agreement_proposed({ name: text(p, 'name') }),
	'sign-off-decision-missing': () => m.outcome_sign_off_decision_missing(),
	'sign-off-disagree-owner-only': () => m.outcome_sign_off_disagree_owner_only(),
	'sign-off-reason-missing': () => m.outcome_sign_off_reason_missing(),
	'sign-off-reason-too-long': (p) => m.outcome_sign_off_reason_too_long({ max: text(p, 'max') }),
	'sign-off-agreed': (p) => m.outcome_sign_off_agreed({ name: text(p, 'name') }),
	'sign-off-disagreed': (p) => m.outcome_sign_off_disagreed({ name: text(p, 'name') }),
	'restore-plan-people-only': () => m.outcome_restore_plan_people_only(),
	'restore-target-missing': () => m.outcome_restore_target_missing(),
	'restore-not-confirmed': () => m.outcome_restore_not_confirmed(),
	'plan-restored': (p) => {
		const section = sectionTitle(p);
		return section === null ? m.outcome_plan_restored_whole() : m.outcome_plan_restored({ section });
	},
	'compare-order': () => m.outcome_compare_order(),
	'involvement-supervisors-only': () => m.outcome_involvement_supervisors_only(),
	'export-format-invalid': () => m.outcome_export_format_invalid(),
	'crisis-card-layout-invalid': () => m.outcome_crisis_card_layout_invalid(),
	'team-choice-needed': () => m.outcome_team_choice_needed(),
	'team-id-invalid': () => m.outcome_team_id_invalid(),
	'team-not-overseen': () => m.outcome_team_not_overseen(),
	'plan-not-measured': () => m.outcome_plan_not_measured(),

	// Waiting for you: moving and cancelling appointments, notifications, a team's crisis contact
	// (server/commands/appointments.ts, notifications.ts, teams.ts).
	'appointment-in-past': () => m.outcome_appointment_in_past(),
	'appointment-cancelled': () => m.outcome_appointment_cancelled(),
	'appointment-moved': (p) => m.outcome_appointment_moved({ when: formatDateTime(text(p, 'when')) }),
	'appointment-cancelled-now': () => m.outcome_appointment_cancelled_now(),
	'notification-not-found': () => m.outcome_notification_not_found(),
	'notification-read': () => m.outcome_notification_read(),
	'notifications-all-read': () => m.outcome_notifications_all_read(),
	'crisis-contact-name-missing': () => m.outcome_crisis_contact_name_missing(),
	'crisis-contact-phone-invalid': () => m.outcome_crisis_contact_phone_invalid(),
	'crisis-contact-hours-missing': () => m.outcome_crisis_contact_hours_missing(),
	'crisis-contact-too-long': (p) => m.outcome_crisis_contact_too_long({ max: text(p, 'max') }),
	'crisis-contact-saved': (p) => m.outcome_crisis_contact_saved({ team: text(p, 'team') }),
	'crisis-contact-cleared': (p) => m.outcome_crisis_contact_cleared({ team: text(p, 'team') }),

	// — Editing people, devices, team checks (issue 12: server/commands/person-details.ts, sessions.ts, plans.ts, care-teams.ts) —
	'person-details-saved': (p) => m.outcome_person_details_saved({ name: text(p, 'name') }),
	'person-details-unchanged': (p) => m.outcome_person_details_unchanged({ name: text(p, 'name') }),
	'session-not-found': () => m.outcome_session_not_found(),
	'session-ended': () => m.outcome_session_ended(),
	'person-not-in-team': (p) => m.outcome_person_not_in_team({ name: text(p, 'name'), team: text(p, 'team') }),
	'professional-not-in-team': (p) => m.outcome_professional_not_in_team({ name: text(p, 'name'), team: text(p, 'team') }),

	// — Restores that are never silent, and their undo (issue 12: server/commands/restore.ts, the plans/[id]/at/[seq] page) —
	'restore-no-change': (p) => (p.target === 'plan' ? m.outcome_restore_no_change_whole() : m.outcome_restore_no_change()),
	'restore-preview-outdated': () => m.outcome_restore_preview_outdated(),
	'restore-undo-not-a-restore': () => m.outcome_restore_undo_not_a_restore(),
	'restore-undo-not-yours': () => m.outcome_restore_undo_not_yours(),
	'restore-undo-outdated': () => m.outcome_restore_undo_outdated(),
	'restore-undone': (p) => {
		const section = sectionTitle(p);
		return section === null ? m.outcome_restore_undone_whole() : m.outcome_restore_undone({ section });
	},

	// A record people can trust: links that stopped working, and why (issue 12; server/commands/invitations.ts).
	'link-replaced': () => m.outcome_link_replaced(),
	'link-other-used': () => m.outcome_link_other_used(),
	'link-cancelled': () => m.outcome_link_cancelled(),

	// Second factors (issue 14: server/commands/second-factors.ts, the /login/verify, /login/confirm and /account/security pages).
	'authenticator-unavailable': () => m.outcome_authenticator_unavailable(),
	'authenticator-not-started': () => m.outcome_authenticator_not_started(),
	'code-missing': () => m.outcome_code_missing(),
	'code-wrong': () => m.outcome_code_wrong(),
	'code-throttled': (p) => m.outcome_code_throttled({ minutes: Number(p.minutes) }),
	'factor-none': () => m.outcome_factor_none(),
	'factor-not-found': () => m.outcome_factor_not_found(),
	'factor-last-one': () => m.outcome_factor_last_one(),
	'factor-removed': () => m.outcome_factor_removed(),
	'recovery-codes-made': () => m.outcome_recovery_codes_made(),

	// Passkeys (issue 14: server/commands/passkeys.ts).
	'passkey-name-missing': () => m.outcome_passkey_name_missing(),
	'passkey-name-too-long': (p) => m.outcome_passkey_name_too_long({ max: text(p, 'max') }),
	'passkey-already-registered': () => m.outcome_passkey_already_registered(),
	'passkey-unreadable': () => m.outcome_passkey_unreadable(),
	'passkey-refused': () => m.outcome_passkey_refused(),
	'passkey-challenge-unknown': () => m.outcome_passkey_challenge_unknown(),
	'passkey-not-recognised': () => m.outcome_passkey_not_recognised(),
	'passkey-throttled': (p) => m.outcome_passkey_throttled({ minutes: Number(p.minutes) }),
	'passkey-busy': () => m.outcome_passkey_busy(),
	'passkey-added': (p) => m.outcome_passkey_added({ name: text(p, 'name') }),

	// Language (issue 13: server/commands/preferences.ts).
	// Said in every language, the page's first: whoever is choosing a language may not read the one the page is in.
	'language-unknown': () =>
		[getLocale(), ...LOCALES.filter((locale) => locale !== getLocale())].map((locale) => m.outcome_language_unknown({}, { locale })).join(' ')
} satisfies Record<InvalidCode | HistoryQueryCode, Words> & Record<string, Words>;

/** The title of the section a restore brought back, or null for the whole plan. */
function sectionTitle(params: OutcomeParams): string | null {
	return PLAN_SECTIONS.find((candidate) => candidate.id === params.target)?.title ?? null;
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
