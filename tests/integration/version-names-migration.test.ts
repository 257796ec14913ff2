import { eq, sql } from 'drizzle-orm';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenDatabase } from '../../db/client.ts';
import { createPlanVersion } from '../../db/plan-versions.ts';
import { notification, planVersion } from '../../db/schema/index.ts';
import type { Database } from '../../db/types.ts';
import { createTestDatabase, testDatabaseKind } from '../helpers/database.ts';
import { makeCareSetting } from '../helpers/factories.ts';

let database: OpenDatabase;
beforeAll(async () => {
	database = await createTestDatabase();
});
afterAll(() => database.close());

// Migration 0009, as installations that ran 0008 meet it; its first statement (the column may be null) has run.
const migration = readFileSync(`db/migrations/${readdirSync('db/migrations').find((name) => name.startsWith('0009_'))!}`, 'utf8');
const dataStatements = migration.split('--> statement-breakpoint').slice(1);

/** Runs `use` as the tables' owner (as migrations run), then rolls everything back. */
async function asOwnerThenRollBack(use: (owner: Database) => Promise<void>): Promise<void> {
	const rolledBack = new Error('rolled back');
	await expect(
		database.db.transaction(async (tx) => {
			await tx.execute(sql`SET LOCAL ROLE NONE`);
			await use(tx);
			throw rolledBack;
		})
	).rejects.toBe(rolledBack);
}

describe(`versions nobody named keep no words of ours (${testDatabaseKind})`, () => {
	it('turns the old English default names into null, and leaves names people gave alone', async () => {
		const setting = await makeCareSetting(database.db);
		const pin = (kind: 'agreement' | 'appointment' | 'manual', name: string) =>
			createPlanVersion(database.db, { planId: setting.plan.id, seq: 0, kind, name, createdBy: setting.professional.id });
		const stored = {
			saved: await pin('manual', 'Saved 3 December 2026'),
			proposed: await pin('agreement', 'Put forward for agreement 3 Dec 2026'),
			older: await pin('agreement', 'Plan agreed 14 March 2026'),
			appointment: await pin('appointment', 'After our appointment on 3 December 2026'),
			demo: await pin('appointment', 'After our appointment'),
			own: await pin('manual', 'Saved 3 December 2026, before the move'),
			kindDiffers: await pin('agreement', 'Saved 3 December 2026'),
			named: await pin('agreement', 'Our plan for the winter')
		};
		const [asked] = await database.db
			.insert(notification)
			.values({
				recipientId: setting.serviceUser.id,
				kind: 'agreement-requested',
				planId: setting.plan.id,
				params: { versionId: stored.proposed.id, name: stored.proposed.name! }
			})
			.returning();

		await asOwnerThenRollBack(async (owner) => {
			for (const statement of dataStatements) await owner.execute(sql.raw(statement));
			const names = Object.fromEntries(
				await Promise.all(
					Object.entries(stored).map(async ([key, version]) => {
						const [row] = await owner.select({ name: planVersion.name }).from(planVersion).where(eq(planVersion.id, version.id));
						return [key, row!.name] as const;
					})
				)
			);
			expect(names).toEqual({
				saved: null,
				proposed: null,
				older: null,
				appointment: null,
				demo: null,
				own: 'Saved 3 December 2026, before the move',
				kindDiffers: 'Saved 3 December 2026',
				named: 'Our plan for the winter'
			});
			const [request] = await owner.select({ params: notification.params }).from(notification).where(eq(notification.id, asked!.id));
			expect(request!.params).toEqual({ versionId: stored.proposed.id, at: stored.proposed.createdAt.toISOString() });
			// Versions are never changed again: the trigger is back on.
			await expect(owner.execute(sql`UPDATE plan_version SET name = 'x' WHERE id = ${stored.named.id}`)).rejects.toThrow();
		});
	});
});
