import { sql } from 'drizzle-orm';
import type { Database } from './types.ts';

// The facts behind "Waiting for you" on a person's home page, for many plans at once (a caseload) in few queries.

async function rowsOf<Row>(db: Database, query: ReturnType<typeof sql>): Promise<Row[]> {
	return (await db.execute(query)) as unknown as Row[];
}

const uuidArray = (ids: readonly string[]) =>
	sql`ARRAY[${sql.join(
		ids.map((id) => sql`${id}`),
		sql`, `
	)}]::uuid[]`;

export interface AgreementRequestFacts {
	planId: string;
	versionId: string;
	/** Null when nobody named it (src/lib/shared/version-names.ts says it). */
	versionName: string | null;
	createdAt: Date;
	/** Each person's latest answer to it. */
	answers: { userId: string; role: string; decision: 'agree' | 'disagree' }[];
}

/** The newest version put forward for agreement on each plan, with each person's latest answer to it. */
export async function listNewestAgreementVersions(db: Database, planIds: readonly string[]): Promise<AgreementRequestFacts[]> {
	if (planIds.length === 0) return [];
	const rows = await rowsOf<{
		plan_id: string;
		version_id: string;
		name: string | null;
		created_at: Date | string;
		answers: { userId: string; role: string; decision: 'agree' | 'disagree' }[] | null;
	}>(
		db,
		sql`WITH newest AS (
			SELECT DISTINCT ON (plan_id) id, plan_id, name, created_at FROM plan_version
			WHERE plan_id = ANY(${uuidArray(planIds)}) AND kind = 'agreement'
			ORDER BY plan_id, created_at DESC, seq DESC
		), latest AS (
			SELECT DISTINCT ON (s.version_id, s.user_id) s.version_id, s.user_id, s.decision, u.role
			FROM plan_sign_off s JOIN newest n ON n.id = s.version_id JOIN "user" u ON u.id = s.user_id
			ORDER BY s.version_id, s.user_id, s.at DESC, s.id DESC
		)
		SELECT n.plan_id, n.id AS version_id, n.name, n.created_at,
			(SELECT json_agg(json_build_object('userId', l.user_id, 'role', l.role, 'decision', l.decision)) FROM latest l WHERE l.version_id = n.id) AS answers
		FROM newest n`
	);
	return rows.map((row) => ({
		planId: row.plan_id,
		versionId: row.version_id,
		versionName: row.name,
		createdAt: new Date(row.created_at),
		answers: row.answers ?? []
	}));
}

export interface UnseenChanges {
	planId: string;
	/** When the person last opened the plan or changed it themselves; null if never. */
	lastSeenAt: Date | null;
	/** The change just before the first one they have not seen (to compare from). */
	fromSeq: number;
	lastChangeAt: Date;
	/** Who made the changes they have not seen. */
	by: { id: string; name: string }[];
}

/**
 * Changes by other people to each plan since this person last opened it (or changed it themselves, as in a session
 * together): who made them and from where to compare.
 */
export async function listUnseenChanges(db: Database, userId: string, planIds: readonly string[]): Promise<UnseenChanges[]> {
	if (planIds.length === 0) return [];
	const plans = uuidArray(planIds);
	const rows = await rowsOf<{
		plan_id: string;
		last_seen: Date | string | null;
		first_seq: number | string;
		last_at: Date | string;
		by_id: string;
		by_name: string;
	}>(
		db,
		sql`WITH viewed AS (
			SELECT target_id::uuid AS plan_id, max(at) AS at FROM audit_event
			WHERE actor_id = ${userId} AND action = 'plan.viewed' AND target_type = 'plan' AND target_id = ANY(${plans}::text[])
			GROUP BY target_id
		), edited AS (
			SELECT plan_id, max(at) AS at FROM plan_update WHERE plan_id = ANY(${plans}) AND user_id = ${userId} GROUP BY plan_id
		), seen AS (
			SELECT p.id AS plan_id, greatest(v.at, e.at) AS at
			FROM unnest(${plans}) AS p(id) LEFT JOIN viewed v ON v.plan_id = p.id LEFT JOIN edited e ON e.plan_id = p.id
		)
		SELECT u.plan_id, s.at AS last_seen, min(u.seq) AS first_seq, max(u.at) AS last_at, u.user_id AS by_id, p.display_name AS by_name
		FROM plan_update u JOIN seen s ON s.plan_id = u.plan_id JOIN "user" p ON p.id = u.user_id
		WHERE u.plan_id = ANY(${plans}) AND u.user_id <> ${userId} AND (s.at IS NULL OR u.at > s.at)
		GROUP BY u.plan_id, s.at, u.user_id, p.display_name
		ORDER BY max(u.at) DESC`
	);
	const byPlan = new Map<string, UnseenChanges>();
	for (const row of rows) {
		const lastAt = new Date(row.last_at);
		const firstSeq = Number(row.first_seq);
		const found = byPlan.get(row.plan_id);
		if (found) {
			found.by.push({ id: row.by_id, name: row.by_name });
			found.fromSeq = Math.min(found.fromSeq, firstSeq - 1);
			if (lastAt > found.lastChangeAt) found.lastChangeAt = lastAt;
		} else {
			byPlan.set(row.plan_id, {
				planId: row.plan_id,
				lastSeenAt: row.last_seen === null ? null : new Date(row.last_seen),
				fromSeq: firstSeq - 1,
				lastChangeAt: lastAt,
				by: [{ id: row.by_id, name: row.by_name }]
			});
		}
	}
	return [...byPlan.values()];
}
