import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { and, asc, count, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import { passkeyCredential, webauthnChallenge, type PasskeyCredential } from './schema/index.ts';
import type { Database } from './types.ts';

/** A challenge can be answered for this long after it was made. */
export const CHALLENGE_LIFETIME_MS = 5 * 60 * 1000;
/**
 * Open passwordless challenges one address may hold: anyone may ask for one, so this bounds what a stranger can make
 * us store. Far above what a household or an office behind one address needs within five minutes.
 */
export const OPEN_SIGN_IN_CHALLENGES_PER_ADDRESS = 20;

export type ChallengePurpose = 'register' | 'verify' | 'sign_in';

const challengeId = (challenge: Uint8Array): string => encodeHexLowerCase(sha256(challenge));

/**
 * Makes a new challenge (32 random bytes) for one purpose; only its SHA-256 is stored. A challenge for a known person
 * replaces their earlier open one of the same purpose (the latest request wins). A passwordless one belongs to nobody
 * yet and is refused (null) while the address already holds OPEN_SIGN_IN_CHALLENGES_PER_ADDRESS. Expired ones are
 * pruned on the way.
 */
export async function createChallenge(
	db: Database,
	request: { purpose: ChallengePurpose; userId: string | null; ip: string | null },
	now = Date.now()
): Promise<Uint8Array | null> {
	const challenge = crypto.getRandomValues(new Uint8Array(32));
	return db.transaction(async (tx) => {
		await tx.delete(webauthnChallenge).where(lt(webauthnChallenge.expiresAt, new Date(now)));
		if (request.userId) {
			await tx.delete(webauthnChallenge).where(and(eq(webauthnChallenge.userId, request.userId), eq(webauthnChallenge.purpose, request.purpose)));
		} else if (request.ip) {
			// One address at a time, so two requests at once cannot both pass the count.
			await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`webauthn:${request.ip}`}))`);
			const [open] = await tx
				.select({ total: count() })
				.from(webauthnChallenge)
				.where(and(eq(webauthnChallenge.ip, request.ip), isNull(webauthnChallenge.userId)));
			if ((open?.total ?? 0) >= OPEN_SIGN_IN_CHALLENGES_PER_ADDRESS) return null;
		}
		await tx.insert(webauthnChallenge).values({
			id: challengeId(challenge),
			userId: request.userId,
			purpose: request.purpose,
			ip: request.ip,
			expiresAt: new Date(now + CHALLENGE_LIFETIME_MS)
		});
		return challenge;
	});
}

/**
 * Uses up a challenge: true once, for a challenge that was made for this purpose and this person (null: a
 * passwordless one) and has not expired; false for any other, and for the same challenge a second time.
 */
export async function consumeChallenge(
	db: Database,
	challenge: Uint8Array,
	expected: { purpose: ChallengePurpose; userId: string | null },
	now = Date.now()
): Promise<boolean> {
	const used = await db
		.delete(webauthnChallenge)
		.where(
			and(
				eq(webauthnChallenge.id, challengeId(challenge)),
				eq(webauthnChallenge.purpose, expected.purpose),
				expected.userId === null ? isNull(webauthnChallenge.userId) : eq(webauthnChallenge.userId, expected.userId),
				gt(webauthnChallenge.expiresAt, new Date(now))
			)
		)
		.returning({ id: webauthnChallenge.id });
	return used.length === 1;
}

/** The public key of a new passkey, as verified at registration. */
export interface NewPasskey {
	userId: string;
	credentialId: Uint8Array;
	algorithm: number;
	publicKey: Uint8Array;
	signCount: number;
	name: string;
}

/** Stores a passkey; null when that credential id is already registered (to anyone). */
export async function addPasskey(db: Database, passkey: NewPasskey): Promise<PasskeyCredential | null> {
	const [row] = await db.insert(passkeyCredential).values(passkey).onConflictDoNothing().returning();
	return row ?? null;
}

/** A person's passkeys, oldest first. */
export async function listPasskeys(db: Database, userId: string): Promise<PasskeyCredential[]> {
	return db.select().from(passkeyCredential).where(eq(passkeyCredential.userId, userId)).orderBy(asc(passkeyCredential.createdAt));
}

/** The passkey with this credential id (whoever's it is), or null. */
export async function findPasskeyByCredentialId(db: Database, credentialId: Uint8Array): Promise<PasskeyCredential | null> {
	const [row] = await db.select().from(passkeyCredential).where(eq(passkeyCredential.credentialId, credentialId));
	return row ?? null;
}

/**
 * Records a use: the authenticator's new signature counter and the time. Only moves the counter forward, so two
 * uses at once cannot set it back (false when another use got there first with a higher count).
 */
export async function recordPasskeyUse(db: Database, passkeyId: string, signCount: number, now = new Date()): Promise<boolean> {
	const updated = await db
		.update(passkeyCredential)
		.set({ signCount, lastUsedAt: now })
		.where(and(eq(passkeyCredential.id, passkeyId), signCount === 0 ? sql`true` : lt(passkeyCredential.signCount, signCount)))
		.returning({ id: passkeyCredential.id });
	return updated.length === 1;
}
