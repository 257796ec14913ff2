import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditEventsFor, recordAuditEvent } from '../../db/audit.ts';
import type { OpenDatabase } from '../../db/client.ts';
import { auditEvent } from '../../db/schema/index.ts';
import { createTestDatabase, testDatabaseKind } from '../helpers/database.ts';

let database: OpenDatabase;
beforeAll(async () => {
	database = await createTestDatabase();
});
afterAll(() => database.close());

describe(`audit trail (${testDatabaseKind})`, () => {
	it('records who, what, target, when and where', async () => {
		const target = crypto.randomUUID();
		await recordAuditEvent(database.db, { actorId: null, action: 'plan.viewed', targetType: 'plan', targetId: target, ip: '203.0.113.9', detail: { a: 1 } });
		const [event] = await listAuditEventsFor(database.db, 'plan', target);
		expect(event).toMatchObject({ action: 'plan.viewed', targetId: target, ip: '203.0.113.9', detail: { a: 1 } });
		expect(Math.abs(event!.at.getTime() - Date.now())).toBeLessThan(60_000);
	});

	/** Drizzle wraps the database's error; its message is in the cause. */
	async function failureOf(query: PromiseLike<unknown>): Promise<string> {
		try {
			await query;
		} catch (error) {
			const messages: string[] = [];
			for (let current = error as { message?: string; cause?: unknown } | undefined; current; current = current.cause as typeof current) {
				messages.push(String(current.message));
			}
			return messages.join(' / ');
		}
		return 'succeeded';
	}

	// The app's role may not (db/privileges.ts); the trigger also stops the owner of the table.
	it('rejects UPDATE, DELETE and TRUNCATE, even from the application', async () => {
		await recordAuditEvent(database.db, { actorId: null, action: 'sign_in.failed' });
		expect(await failureOf(database.db.update(auditEvent).set({ action: 'sign_in' }))).toMatch(/permission denied for table audit_event/);
		expect(await failureOf(database.db.delete(auditEvent).where(eq(auditEvent.action, 'sign_in.failed')))).toMatch(/permission denied for table audit_event/);
		expect(await failureOf(database.db.execute(sql`TRUNCATE audit_event`))).toMatch(/permission denied for table audit_event/);
		const rows = await database.db.select().from(auditEvent).where(eq(auditEvent.action, 'sign_in.failed'));
		expect(rows.length).toBeGreaterThan(0);
	});
});
