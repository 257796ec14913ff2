import { m } from '../paraglide/messages.js';
import { translated } from './locale.ts';

/** Who someone is in Chorus. Names are stored in the database: change only with a migration. */
export const ROLES = ['service_user', 'professional', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** A professional's discipline. Peer workers are professionals with lived experience. */
export const DISCIPLINES = ['social_worker', 'nurse', 'psychologist', 'psychiatrist', 'occupational_therapist', 'peer_worker'] as const;
export type Discipline = (typeof DISCIPLINES)[number];

export const ROLE_LABELS = translated<Role>({
	service_user: m.role_service_user,
	professional: m.role_professional,
	supervisor: m.role_supervisor,
	admin: m.role_admin
});

export const DISCIPLINE_LABELS = translated<Discipline>({
	social_worker: m.discipline_social_worker,
	nurse: m.discipline_nurse,
	psychologist: m.discipline_psychologist,
	psychiatrist: m.discipline_psychiatrist,
	occupational_therapist: m.discipline_occupational_therapist,
	peer_worker: m.discipline_peer_worker
});

export const PLAN_STATUSES = ['draft', 'active', 'closed'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

export const PLAN_STATUS_LABELS = translated<PlanStatus>({
	draft: m.plan_status_draft,
	active: m.plan_status_active,
	closed: m.plan_status_closed
});

export function isRole(value: unknown): value is Role {
	return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function isDiscipline(value: unknown): value is Discipline {
	return typeof value === 'string' && (DISCIPLINES as readonly string[]).includes(value);
}

/** A short description of a person's role for headers and lists, e.g. "Nurse" or "Supervisor", in the reader's language. */
export function describeRole(role: Role, discipline: Discipline | null): string {
	if (role === 'professional' && discipline) return DISCIPLINE_LABELS[discipline];
	return ROLE_LABELS[role];
}
