import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { OpenDatabase } from '../../db/client.ts';
import { describeErrorSafely, logError } from '../../db/errors.ts';
import { createTestDatabase, testDatabaseKind } from '../helpers/database.ts';
import { PLAN_CONTENT_MARKER } from '../helpers/plan-doc.ts';

let database: OpenDatabase;

beforeAll(async () => {
	database = await createTestDatabase();
});

afterAll(async () => {
	await database?.close();
});

/** The error a real failed query throws (drizzle wraps the driver's error, and its message lists the parameters). */
async function failedQuery(query: ReturnType<typeof sql>): Promise<unknown> {
	try {
		await database.db.execute(query);
	} catch (error) {
		return error;
	}
	throw new Error('the query was expected to fail');
}

describe(`error logging without plan content (${testDatabaseKind})`, () => {
	it('names a failed query by its SQLSTATE, never by its parameters or the values the server quotes', async () => {
		const badUuid = await failedQuery(sql`SELECT ${PLAN_CONTENT_MARKER}::uuid`);
		expect(String((badUuid as Error).message) + JSON.stringify((badUuid as { cause?: { message?: string } }).cause?.message)).toContain(PLAN_CONTENT_MARKER);
		const described = describeErrorSafely(badUuid);
		expect(described).not.toContain(PLAN_CONTENT_MARKER);
		expect(described).toContain('database error 22P02');

		const nul = await failedQuery(sql`SELECT ${JSON.stringify({ goal: `\u0000${PLAN_CONTENT_MARKER}` })}::jsonb`);
		expect(describeErrorSafely(nul)).not.toContain(PLAN_CONTENT_MARKER);
		expect(describeErrorSafely(nul)).toMatch(/database error [0-9A-Z]{5}/);
	});

	it('logs one line with an error id, the stack frames and nothing quoted', () => {
		const printed: string[] = [];
		const spy = vi.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => void printed.push(parts.join(' ')));
		try {
			let parseError: unknown;
			try {
				JSON.parse(`{"goal": "${PLAN_CONTENT_MARKER}`);
			} catch (error) {
				parseError = error;
			}
			const errorId = logError('could not read a change', new Error('wrapper', { cause: parseError }));
			expect(printed).toHaveLength(1);
			expect(printed[0]).toContain(`error ${errorId}: could not read a change`);
			expect(printed[0]).toContain('SyntaxError');
			expect(printed[0]).toContain('    at ');
			expect(printed[0]).not.toContain(PLAN_CONTENT_MARKER);
		} finally {
			spy.mockRestore();
		}
	});
});
