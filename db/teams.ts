import { and, asc, eq, sql } from 'drizzle-orm';
import { isUniqueViolation } from './errors.ts';
import { err, ok, type Result } from './result.ts';
import { team, teamMember, user, type Team, type User } from './schema/index.ts';
import type { Database } from './types.ts';

export async function createTeam(db: Database, name: string): Promise<Result<Team, 'name_taken'>> {
	try {
		const [row] = await db.insert(team).values({ name }).returning();
		return ok(row!);
	} catch (error) {
		if (isUniqueViolation(error)) return err('name_taken');
		throw error;
	}
}

export async function findTeamByName(db: Database, name: string): Promise<Team | null> {
	const [row] = await db
		.select()
		.from(team)
		.where(eq(sql`lower(${team.name})`, name.toLowerCase()));
	return row ?? null;
}

export async function findTeamById(db: Database, id: string): Promise<Team | null> {
	const [row] = await db.select().from(team).where(eq(team.id, id));
	return row ?? null;
}

export type TeamSummary = Team & { memberCount: number };

export async function listTeams(db: Database): Promise<TeamSummary[]> {
	return db
		.select({
			id: team.id,
			name: team.name,
			createdAt: team.createdAt,
			memberCount: sql<number>`(select count(*)::int from ${teamMember} where ${teamMember.teamId} = ${team.id})`
		})
		.from(team)
		.orderBy(asc(team.name));
}

/** Adds a person to a team; adding someone already there changes nothing. @returns whether they were added. */
export async function addTeamMember(db: Database, teamId: string, userId: string): Promise<boolean> {
	const rows = await db.insert(teamMember).values({ teamId, userId }).onConflictDoNothing().returning();
	return rows.length > 0;
}

/** @returns whether the person was in the team. */
export async function removeTeamMember(db: Database, teamId: string, userId: string): Promise<boolean> {
	const rows = await db
		.delete(teamMember)
		.where(and(eq(teamMember.teamId, teamId), eq(teamMember.userId, userId)))
		.returning();
	return rows.length > 0;
}

export type TeamMemberSummary = Pick<User, 'id' | 'username' | 'displayName' | 'role' | 'discipline' | 'disabledAt'>;

export async function listTeamMembers(db: Database, teamId: string): Promise<TeamMemberSummary[]> {
	return db
		.select({
			id: user.id,
			username: user.username,
			displayName: user.displayName,
			role: user.role,
			discipline: user.discipline,
			disabledAt: user.disabledAt
		})
		.from(teamMember)
		.innerJoin(user, eq(teamMember.userId, user.id))
		.where(eq(teamMember.teamId, teamId))
		.orderBy(asc(user.displayName));
}

/** The teams a person belongs to. */
export async function listTeamsOf(db: Database, userId: string): Promise<Team[]> {
	return db
		.select({ id: team.id, name: team.name, createdAt: team.createdAt })
		.from(teamMember)
		.innerJoin(team, eq(teamMember.teamId, team.id))
		.where(eq(teamMember.userId, userId))
		.orderBy(asc(team.name));
}
