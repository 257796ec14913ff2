import { pgEnum } from 'drizzle-orm/pg-core';

export const roleEnum = pgEnum('role', ['service_user', 'professional', 'supervisor', 'admin']);
export const disciplineEnum = pgEnum('discipline', ['social_worker', 'nurse', 'psychologist', 'psychiatrist', 'occupational_therapist', 'peer_worker']);
export const planStatusEnum = pgEnum('plan_status', ['draft', 'active', 'closed']);
export const invitationKindEnum = pgEnum('invitation_kind', ['set_password', 'first_admin']);
/** Why a sign-in link stopped working before it was used. */
export const invitationRevokedReasonEnum = pgEnum('invitation_revoked_reason', ['replaced', 'other_link_used', 'cancelled']);
