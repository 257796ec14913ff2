import { asc, count, eq, inArray, isNull } from 'drizzle-orm';
import { isUniqueViolation } from './errors.ts';
import { err, ok, type Result } from './result.ts';
import { user, type User } from './schema/index.ts';
import type { Database } from './types.ts';

export interface NewAccount {
	username: string;
	displayName: string;
	role: User['role'];
	discipline: User['discipline'];
	/** Null for an account whose owner will set a password through an invitation. */
	passwordHash: string | null;
}

/** Creates an account. Input must already be validated (src/lib/shared/validation.ts). */
export async function createAccount(db: Database, account: NewAccount): Promise<Result<User, 'username_taken'>> {
	try {
		const [row] = await db
			.insert(user)
			.values({ ...account, discipline: account.role === 'professional' ? account.discipline : null })
			.returning();
		return ok(row!);
	} catch (error) {
		if (isUniqueViolation(error)) return err('username_taken');
		throw error;
	}
}

export async function findAccountByUsername(db: Database, username: string): Promise<User | null> {
	const [row] = await db.select().from(user).where(eq(user.username, username));
	return row ?? null;
}

export async function findAccountById(db: Database, id: string): Promise<User | null> {
	const [row] = await db.select().from(user).where(eq(user.id, id));
	return row ?? null;
}

/** Every account, by name, for the admin area. */
export async function listAccounts(db: Database): Promise<User[]> {
	return db.select().from(user).orderBy(asc(user.displayName));
}

export async function countAccounts(db: Database): Promise<number> {
	const [row] = await db.select({ n: count() }).from(user);
	return row?.n ?? 0;
}

/** Number of administrators who can still sign in. */
export async function countActiveAdmins(db: Database): Promise<number> {
	const rows = await db.select({ role: user.role }).from(user).where(isNull(user.disabledAt));
	return rows.filter((row) => row.role === 'admin').length;
}

/** Disables or re-enables an account. Sessions of a disabled account stop working at once. */
export async function setAccountDisabled(db: Database, userId: string, disabled: boolean): Promise<void> {
	await db
		.update(user)
		.set({ disabledAt: disabled ? new Date() : null })
		.where(eq(user.id, userId));
}

/** What an administrator may change about an account after it was made (its role stays: see server/commands/person-details.ts). */
export interface AccountDetails {
	username: string;
	displayName: string;
	discipline: User['discipline'];
}

/** Changes an account's name, username and discipline. Input must already be validated. */
export async function updateAccountDetails(db: Database, userId: string, details: AccountDetails): Promise<Result<User, 'username_taken'>> {
	try {
		const [row] = await db.update(user).set(details).where(eq(user.id, userId)).returning();
		return ok(row!);
	} catch (error) {
		if (isUniqueViolation(error)) return err('username_taken');
		throw error;
	}
}

export async function setAccountPassword(db: Database, userId: string, passwordHash: string): Promise<void> {
	await db.update(user).set({ passwordHash }).where(eq(user.id, userId));
}

/** Saves the language a person chose (a locale code; null: their browser's again). */
export async function setAccountLocale(db: Database, userId: string, locale: string | null): Promise<void> {
	await db.update(user).set({ locale }).where(eq(user.id, userId));
}

/** The people with these ids (for naming authors in a plan's history); unknown ids are left out. */
export async function listPeopleByIds(db: Database, ids: string[]): Promise<Pick<User, 'id' | 'displayName' | 'role' | 'discipline'>[]> {
	if (ids.length === 0) return [];
	return db.select({ id: user.id, displayName: user.displayName, role: user.role, discipline: user.discipline }).from(user).where(inArray(user.id, ids));
}
