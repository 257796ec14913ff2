import { eq, inArray } from 'drizzle-orm';
import { carePlan, teamCrisisContact, type TeamCrisisContact } from './schema/index.ts';
import type { Database } from './types.ts';

export interface CrisisContactInput {
	name: string;
	phone: string;
	hours: string;
	note: string | null;
}

/** A team's out-of-hours / crisis contact, if its administrators set one. */
export async function findCrisisContact(db: Database, teamId: string): Promise<TeamCrisisContact | null> {
	const [row] = await db.select().from(teamCrisisContact).where(eq(teamCrisisContact.teamId, teamId));
	return row ?? null;
}

/** The crisis contacts of these teams, by team id. */
export async function listCrisisContacts(db: Database, teamIds: readonly string[]): Promise<Map<string, TeamCrisisContact>> {
	if (teamIds.length === 0) return new Map();
	const rows = await db
		.select()
		.from(teamCrisisContact)
		.where(inArray(teamCrisisContact.teamId, [...teamIds]));
	return new Map(rows.map((row) => [row.teamId, row]));
}

/** Sets (or replaces) a team's crisis contact. */
export async function setCrisisContact(db: Database, teamId: string, contact: CrisisContactInput, updatedBy: string | null): Promise<void> {
	const values = { ...contact, updatedBy, updatedAt: new Date() };
	await db
		.insert(teamCrisisContact)
		.values({ teamId, ...values })
		.onConflictDoUpdate({ target: teamCrisisContact.teamId, set: values });
}

/** Removes a team's crisis contact. @returns whether it had one. */
export async function clearCrisisContact(db: Database, teamId: string): Promise<boolean> {
	const rows = await db.delete(teamCrisisContact).where(eq(teamCrisisContact.teamId, teamId)).returning({ teamId: teamCrisisContact.teamId });
	return rows.length > 0;
}

/** The crisis contact of the team a plan belongs to, if it has one. */
export async function findPlanCrisisContact(db: Database, planId: string): Promise<TeamCrisisContact | null> {
	const [row] = await db
		.select({ contact: teamCrisisContact })
		.from(carePlan)
		.innerJoin(teamCrisisContact, eq(teamCrisisContact.teamId, carePlan.teamId))
		.where(eq(carePlan.id, planId));
	return row?.contact ?? null;
}
