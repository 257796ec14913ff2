import { m } from '../paraglide/messages.js';
import type { Outcome, Refusal } from './outcome.ts';
import { isDiscipline, isRole, PLAN_STATUSES, type Discipline, type PlanStatus, type Role } from './roles.ts';

/** Why a value was not accepted; outcome-words.ts says it in words a person can act on. */
export const INVALID_CODES = [
	'username-missing',
	'username-length',
	'username-characters',
	'name-missing',
	'name-too-long',
	'password-missing',
	'password-too-short',
	'password-too-long',
	'password-too-common',
	'password-contains-username',
	'role-invalid',
	'discipline-missing',
	'discipline-invalid',
	'team-name-missing',
	'team-name-length',
	'plan-title-missing',
	'plan-title-too-long',
	'date-format',
	'date-impossible',
	'plan-status-invalid',
	'date-time-missing',
	'date-time-impossible'
] as const;
export type InvalidCode = (typeof INVALID_CODES)[number];

/** A validated value, or the code of what is wrong with it. */
export type Checked<T> = Outcome<T, InvalidCode>;

const valid = <T>(value: T): Checked<T> => ({ ok: true, value });
const invalid = (code: InvalidCode): Refusal<InvalidCode> => ({ ok: false, code });

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
	return typeof value === 'string' && UUID_PATTERN.test(value);
}

export function checkUsername(raw: unknown): Checked<string> {
	if (typeof raw !== 'string' || raw.trim() === '') return invalid('username-missing');
	const username = raw.trim().toLowerCase();
	if (username.length < 3 || username.length > 40) return invalid('username-length');
	if (!/^[a-z0-9][a-z0-9._-]*$/.test(username)) {
		return invalid('username-characters');
	}
	return valid(username);
}

export function checkDisplayName(raw: unknown): Checked<string> {
	if (typeof raw !== 'string' || raw.trim() === '') return invalid('name-missing');
	const name = raw.trim().replace(/\s+/g, ' ');
	if (name.length > 100) return invalid('name-too-long');
	return valid(name);
}

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;
// A few passwords that pass the length rule but are tried first by anyone guessing.
const COMMON_PASSWORDS = new Set([
	'1234567890',
	'0123456789',
	'password123',
	'password1234',
	'qwertyuiop',
	'iloveyou123',
	'letmein123',
	'welcome123',
	'chorus1234',
	'changeme123'
]);

export function checkNewPassword(raw: unknown, username: string | null): Checked<string> {
	if (typeof raw !== 'string' || raw === '') return invalid('password-missing');
	if (raw.length < PASSWORD_MIN_LENGTH) return invalid('password-too-short');
	if (raw.length > PASSWORD_MAX_LENGTH) return invalid('password-too-long');
	const lower = raw.toLowerCase();
	if (COMMON_PASSWORDS.has(lower) || /^(.)\1+$/.test(raw)) return invalid('password-too-common');
	if (username && lower.includes(username.toLowerCase())) return invalid('password-contains-username');
	return valid(raw);
}

export function checkRole(raw: unknown): Checked<Role> {
	return isRole(raw) ? valid(raw) : invalid('role-invalid');
}

/** A professional needs a discipline; other roles have none. */
export function checkDiscipline(role: Role, raw: unknown): Checked<Discipline | null> {
	if (role !== 'professional') return valid(null);
	if (raw === undefined || raw === null || raw === '') return invalid('discipline-missing');
	return isDiscipline(raw) ? valid(raw) : invalid('discipline-invalid');
}

export function checkTeamName(raw: unknown): Checked<string> {
	if (typeof raw !== 'string' || raw.trim() === '') return invalid('team-name-missing');
	const name = raw.trim().replace(/\s+/g, ' ');
	if (name.length < 2 || name.length > 100) return invalid('team-name-length');
	return valid(name);
}

export function checkPlanTitle(raw: unknown): Checked<string> {
	if (typeof raw !== 'string' || raw.trim() === '') return invalid('plan-title-missing');
	const title = raw.trim().replace(/\s+/g, ' ');
	if (title.length > 200) return invalid('plan-title-too-long');
	return valid(title);
}

/** An optional calendar date as YYYY-MM-DD; empty means "not set". */
export function checkOptionalDate(raw: unknown): Checked<string | null> {
	if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) return valid(null);
	if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(raw.trim())) return invalid('date-format');
	const value = raw.trim();
	const date = new Date(`${value}T00:00:00Z`);
	if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) return invalid('date-impossible');
	return valid(value);
}

export function checkPlanStatus(raw: unknown): Checked<PlanStatus> {
	return typeof raw === 'string' && (PLAN_STATUSES as readonly string[]).includes(raw) ? valid(raw as PlanStatus) : invalid('plan-status-invalid');
}

/**
 * The default title of a new plan, in the language of whoever starts it (the title is the plan's own text from
 * then on, which anyone on it may change).
 */
export function defaultPlanTitle(serviceUserName: string): string {
	return m.plan_default_title({ name: serviceUserName });
}

export interface NewAccountInput {
	username: string;
	displayName: string;
	role: Role;
	discipline: Discipline | null;
}

/** Checks everything needed to create an account (the password is checked separately). */
export function checkNewAccount(raw: { username: unknown; displayName: unknown; role: unknown; discipline: unknown }): Checked<NewAccountInput> {
	const username = checkUsername(raw.username);
	if (!username.ok) return username;
	const displayName = checkDisplayName(raw.displayName);
	if (!displayName.ok) return displayName;
	const role = checkRole(raw.role);
	if (!role.ok) return role;
	const discipline = checkDiscipline(role.value, raw.discipline);
	if (!discipline.ok) return discipline;
	return valid({ username: username.value, displayName: displayName.value, role: role.value, discipline: discipline.value });
}

/** A date and time from a `datetime-local` field ("2026-12-01T14:30"), read in the server's time zone. */
export function checkDateTime(raw: unknown): Checked<Date> {
	if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(raw.trim())) {
		return invalid('date-time-missing');
	}
	const date = new Date(raw.trim());
	if (Number.isNaN(date.getTime())) return invalid('date-time-impossible');
	return valid(date);
}
