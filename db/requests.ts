import { and, eq, lt } from 'drizzle-orm';
import { requestReceipt } from './schema/index.ts';
import type { Database } from './types.ts';

/** One form submission: who sent it, the key its page was rendered with, and what it does. */
export interface RequestRef {
	actorId: string;
	key: string;
	scope: string;
}

function matches(request: RequestRef) {
	return and(eq(requestReceipt.actorId, request.actorId), eq(requestReceipt.key, request.key), eq(requestReceipt.scope, request.scope));
}

/**
 * Claims a submission for this transaction. When the same one is being carried out by another transaction, this waits
 * for it to end (the primary key decides): then it was either carried out (`answer`) or given up (claimed here).
 * @returns `claimed` for the first, or the stored answer of the first.
 */
export async function claimRequest(tx: Database, request: RequestRef): Promise<{ claimed: true } | { claimed: false; answer: unknown }> {
	const inserted = await tx.insert(requestReceipt).values(request).onConflictDoNothing().returning({ key: requestReceipt.key });
	if (inserted.length > 0) return { claimed: true };
	const [row] = await tx.select({ answer: requestReceipt.answer }).from(requestReceipt).where(matches(request));
	if (!row) throw new Error('A claimed request vanished between its insert and its read.');
	return { claimed: false, answer: row.answer };
}

/** Keeps the answer of a claimed submission, for its repeats. */
export async function recordRequestAnswer(tx: Database, request: RequestRef, answer: unknown): Promise<void> {
	await tx.update(requestReceipt).set({ answer }).where(matches(request));
}

/** Gives a claimed submission up (it was refused): sending it again, corrected, acts. */
export async function releaseRequest(tx: Database, request: RequestRef): Promise<void> {
	await tx.delete(requestReceipt).where(matches(request));
}

/** Deletes a person's receipts older than `before`: a form that old is sent again on purpose, not by a double click. */
export async function forgetRequestsBefore(tx: Database, actorId: string, before: Date): Promise<void> {
	await tx.delete(requestReceipt).where(and(eq(requestReceipt.actorId, actorId), lt(requestReceipt.at, before)));
}
