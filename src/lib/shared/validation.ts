import { isDiscipline, isRole, PLAN_STATUSES, type Discipline, type PlanStatus, type Role } from './roles.ts';

/** A validated value, or a message a person can act on. */
export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

const valid = <T>(value: T): Checked<T> => ({ ok: true, value });
const invalid = (message: string): { ok: false; message: string } => ({ ok: false, message });

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
	return typeof value === 'string' && UUID_PATTERN.test(value);
}

export function checkUsername(raw: unknown): Checked<string> {
	if (typeof raw !== 'string' || raw.trim() === '') return invalid('Please enter a username.');
	const username = raw.trim().toLowerCase();
	if (username.length < 3 || username.length > 40) return invalid('A username is 3 to 40 characters long.');
	if (!/^[a-z0-9][a-z0-9._-]*$/.test(username)) {
		return invalid('A username may use letters, numbers, dots, dashes and underscores, and starts with a letter or number.');
	}
	return valid(username);
}

export function checkDisplayName(raw: unknown): Checked<string> {
	if (typeof raw !== 'string' || raw.trim() === '') return invalid('Please enter the name people will see.');
	const name = raw.trim().replace(/\s+/g, ' ');
	if (name.length > 100) return invalid('A name can be at most 100 characters long.');
	return valid(name);
}

export const PASSWORD_MIN_LENGTH = 10;
const PASSWORD_MAX_LENGTH = 200;
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
	if (typeof raw !== 'string' || raw === '') return invalid('Please choose a password.');
	if (raw.length < PASSWORD_MIN_LENGTH) return invalid(`Your password needs at least ${PASSWORD_MIN_LENGTH} characters. A few words together work well.`);
	if (raw.length > PASSWORD_MAX_LENGTH) return invalid(`A password can be at most ${PASSWORD_MAX_LENGTH} characters long.`);
	const lower = raw.toLowerCase();
	if (COMMON_PASSWORDS.has(lower) || /^(.)\1+$/.test(raw)) return invalid('That password is too easy to guess. Please choose another.');
	if (username && lower.includes(username.toLowerCase())) return invalid('Your password should not contain your username.');
	return valid(raw);
}

export function checkRole(raw: unknown): Checked<Role> {
	return isRole(raw) ? valid(raw) : invalid('Please choose a role: service_user, professional, supervisor or admin.');
}

/** A professional needs a discipline; other roles have none. */
export function checkDiscipline(role: Role, raw: unknown): Checked<Discipline | null> {
	if (role !== 'professional') return valid(null);
	if (raw === undefined || raw === null || raw === '') return invalid('Please choose the professional’s discipline.');
	return isDiscipline(raw)
		? valid(raw)
		: invalid('Please choose a discipline: social_worker, nurse, psychologist, psychiatrist, occupational_therapist or peer_worker.');
}

export function checkTeamName(raw: unknown): Checked<string> {
	if (typeof raw !== 'string' || raw.trim() === '') return invalid('Please enter a team name.');
	const name = raw.trim().replace(/\s+/g, ' ');
	if (name.length < 2 || name.length > 100) return invalid('A team name is 2 to 100 characters long.');
	return valid(name);
}

export function checkPlanTitle(raw: unknown): Checked<string> {
	if (typeof raw !== 'string' || raw.trim() === '') return invalid('Please give the plan a title.');
	const title = raw.trim().replace(/\s+/g, ' ');
	if (title.length > 200) return invalid('A plan title can be at most 200 characters long.');
	return valid(title);
}

/** An optional calendar date as YYYY-MM-DD; empty means "not set". */
export function checkOptionalDate(raw: unknown): Checked<string | null> {
	if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) return valid(null);
	if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(raw.trim())) return invalid('Please enter the date as year-month-day, for example 2027-03-31.');
	const value = raw.trim();
	const date = new Date(`${value}T00:00:00Z`);
	if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) return invalid('That date does not exist. Please check it.');
	return valid(value);
}

export function checkPlanStatus(raw: unknown): Checked<PlanStatus> {
	return typeof raw === 'string' && (PLAN_STATUSES as readonly string[]).includes(raw)
		? valid(raw as PlanStatus)
		: invalid('Please choose a status for the plan.');
}

/** The default title of a new plan. */
export function defaultPlanTitle(serviceUserName: string): string {
	return `${serviceUserName}’s recovery plan`;
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
		return invalid('Please choose a date and a time.');
	}
	const date = new Date(raw.trim());
	if (Number.isNaN(date.getTime())) return invalid('That date or time does not exist. Please check it.');
	return valid(date);
}
