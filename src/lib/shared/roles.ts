/** Who someone is in Chorus. Names are stored in the database: change only with a migration. */
export const ROLES = ['service_user', 'professional', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** A professional's discipline. Peer workers are professionals with lived experience. */
export const DISCIPLINES = ['social_worker', 'nurse', 'psychologist', 'psychiatrist', 'occupational_therapist', 'peer_worker'] as const;
export type Discipline = (typeof DISCIPLINES)[number];

export const ROLE_LABELS: Record<Role, string> = {
	service_user: 'Person using services',
	professional: 'Professional',
	supervisor: 'Supervisor',
	admin: 'Administrator'
};

export const DISCIPLINE_LABELS: Record<Discipline, string> = {
	social_worker: 'Social worker',
	nurse: 'Nurse',
	psychologist: 'Psychologist',
	psychiatrist: 'Psychiatrist',
	occupational_therapist: 'Occupational therapist',
	peer_worker: 'Peer support worker'
};

export const PLAN_STATUSES = ['draft', 'active', 'closed'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

export const PLAN_STATUS_LABELS: Record<PlanStatus, string> = {
	draft: 'Being written',
	active: 'In use',
	closed: 'Closed'
};

export function isRole(value: unknown): value is Role {
	return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function isDiscipline(value: unknown): value is Discipline {
	return typeof value === 'string' && (DISCIPLINES as readonly string[]).includes(value);
}

/** A short description of a person's role for headers and lists, e.g. "Nurse" or "Supervisor". */
export function describeRole(role: Role, discipline: Discipline | null): string {
	if (role === 'professional' && discipline) return DISCIPLINE_LABELS[discipline];
	return ROLE_LABELS[role];
}
