import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { planSignOff, planVersion, user, type PlanVersion } from './schema/index.ts';
import type { Database } from './types.ts';

export type VersionKind = PlanVersion['kind'];

export interface NewPlanVersion {
	planId: string;
	seq: number;
	kind: VersionKind;
	/** Null when nobody named it: the name is said where it is shown (src/lib/shared/version-names.ts). */
	name: string | null;
	createdBy: string;
}

/** Pins the plan as it is at `seq` under a name. */
export async function createPlanVersion(db: Database, version: NewPlanVersion): Promise<PlanVersion> {
	const [row] = await db.insert(planVersion).values(version).returning();
	return row!;
}

export interface SignOffRecord {
	userId: string;
	name: string;
	role: 'service_user' | 'professional' | 'supervisor' | 'admin';
	discipline: (typeof user.$inferSelect)['discipline'];
	decision: 'agree' | 'disagree';
	reason: string | null;
	at: Date;
}

export interface PlanVersionWithSignOffs extends PlanVersion {
	createdByName: string;
	/** Every answer, oldest first; each person's latest one counts. */
	signOffs: SignOffRecord[];
}

/** A plan's named versions, newest first, with every sign-off. */
export async function listPlanVersions(db: Database, planId: string): Promise<PlanVersionWithSignOffs[]> {
	const versions = await db
		.select({ version: planVersion, createdByName: user.displayName })
		.from(planVersion)
		.innerJoin(user, eq(planVersion.createdBy, user.id))
		.where(eq(planVersion.planId, planId))
		.orderBy(desc(planVersion.createdAt), desc(planVersion.seq));
	if (versions.length === 0) return [];
	const signOffs = await db
		.select({
			versionId: planSignOff.versionId,
			userId: planSignOff.userId,
			name: user.displayName,
			role: user.role,
			discipline: user.discipline,
			decision: planSignOff.decision,
			reason: planSignOff.reason,
			at: planSignOff.at
		})
		.from(planSignOff)
		.innerJoin(user, eq(planSignOff.userId, user.id))
		.where(
			inArray(
				planSignOff.versionId,
				versions.map((row) => row.version.id)
			)
		)
		.orderBy(asc(planSignOff.at), asc(planSignOff.id));
	return versions.map(({ version, createdByName }) => ({
		...version,
		createdByName,
		signOffs: signOffs.filter((signOff) => signOff.versionId === version.id).map(({ versionId: _versionId, ...rest }) => rest)
	}));
}

export async function findPlanVersion(db: Database, planId: string, versionId: string): Promise<PlanVersion | null> {
	const [row] = await db
		.select()
		.from(planVersion)
		.where(and(eq(planVersion.planId, planId), eq(planVersion.id, versionId)));
	return row ?? null;
}

/** Records one person's answer to a version. */
export async function recordSignOff(
	db: Database,
	signOff: { versionId: string; userId: string; decision: 'agree' | 'disagree'; reason: string | null }
): Promise<void> {
	await db.insert(planSignOff).values(signOff);
}
