import { bigint, bigserial, boolean, customType, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { user } from './people.ts';

const bytea = customType<{ data: Uint8Array; driverData: Buffer }>({
	dataType: () => 'bytea',
	toDriver: (value) => Buffer.from(value),
	fromDriver: (value) => new Uint8Array(value)
});

/**
 * An authenticator app (TOTP, RFC 6238: 30 seconds, 6 digits). The key is stored encrypted with ENCRYPTION_KEY
 * (db/secret-box.ts). A row without `confirmedAt` is an enrolment that has not yet been confirmed with a first code;
 * it is no factor and is replaced by the next attempt.
 */
export const totpCredential = pgTable(
	'totp_credential',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		userId: uuid('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		/** The key, sealed: version byte, IV, AES-256-GCM ciphertext and tag. */
		sealedKey: bytea('sealed_key').notNull(),
		/** The last time step (Unix time / 30 s) whose code was accepted: each code works once. */
		lastUsedStep: bigint('last_used_step', { mode: 'number' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
		lastUsedAt: timestamp('last_used_at', { withTimezone: true })
	},
	(table) => [index('totp_credential_user_idx').on(table.userId)]
);

/** A passkey (WebAuthn public-key credential) registered with user verification. */
export const passkeyCredential = pgTable(
	'passkey_credential',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		userId: uuid('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		/** The credential id the authenticator chose (raw bytes). */
		credentialId: bytea('credential_id').notNull(),
		/** COSE algorithm: -7 (ES256) or -257 (RS256). */
		algorithm: integer('algorithm').notNull(),
		/** ES256: the SEC1 uncompressed point; RS256: the PKCS#1 public key. */
		publicKey: bytea('public_key').notNull(),
		/** The authenticator's signature counter (0 for authenticators that keep none). */
		signCount: bigint('sign_count', { mode: 'number' }).notNull().default(0),
		/** The name the person gave it, such as "My phone". */
		name: text('name').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		lastUsedAt: timestamp('last_used_at', { withTimezone: true })
	},
	(table) => [uniqueIndex('passkey_credential_id_idx').on(table.credentialId), index('passkey_credential_user_idx').on(table.userId)]
);

/** Single-use recovery codes, stored as SHA-256 (they are long random strings, so a fast hash is enough). */
export const recoveryCode = pgTable(
	'recovery_code',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		userId: uuid('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		codeHash: text('code_hash').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		usedAt: timestamp('used_at', { withTimezone: true })
	},
	(table) => [index('recovery_code_user_idx').on(table.userId)]
);

/**
 * Second-factor checks (codes, recovery codes), for throttling as db/sign-in.ts does for passwords: written as a
 * failure before the check, marked as succeeded after. Rows older than the window are pruned.
 */
export const secondFactorAttempt = pgTable(
	'second_factor_attempt',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		userId: uuid('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		at: timestamp('at', { withTimezone: true }).notNull(),
		succeeded: boolean('succeeded').notNull().default(false)
	},
	(table) => [index('second_factor_attempt_user_idx').on(table.userId, table.at)]
);

/**
 * WebAuthn challenges, each usable once and for five minutes. `userId` is set when the challenge is for a known
 * person (registering a passkey, a second factor); null for a passwordless sign-in.
 */
export const webauthnChallenge = pgTable(
	'webauthn_challenge',
	{
		/** SHA-256 of the challenge, hex. */
		id: text('id').primaryKey(),
		userId: uuid('user_id').references(() => user.id, { onDelete: 'cascade' }),
		purpose: text('purpose').$type<'register' | 'verify' | 'sign_in'>().notNull(),
		ip: text('ip'),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull()
	},
	(table) => [index('webauthn_challenge_expires_idx').on(table.expiresAt), index('webauthn_challenge_ip_idx').on(table.ip)]
);

export type TotpCredential = typeof totpCredential.$inferSelect;
export type PasskeyCredential = typeof passkeyCredential.$inferSelect;
