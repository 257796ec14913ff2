import { hash, verify } from '@node-rs/argon2';

// OWASP's Argon2id floor: 19 MiB, 2 passes, 1 lane.
const ARGON2_OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

/** Argon2id hash of a password, in PHC string form. */
export function hashPassword(password: string): Promise<string> {
	return hash(password, ARGON2_OPTIONS);
}

/** True when the password matches the stored hash; false for any malformed hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await verify(passwordHash, password);
	} catch {
		return false;
	}
}

// Hashed once, lazily: verifying against it when an account does not exist keeps sign-in timing even.
let dummyHash: Promise<string> | undefined;

/** Spends the same time as a real verification, for unknown usernames. */
export async function verifyAgainstDummy(password: string): Promise<false> {
	dummyHash ??= hashPassword('chorus-timing-equaliser');
	await verifyPassword(await dummyHash, password);
	return false;
}
