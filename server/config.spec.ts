import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from './config.ts';

describe('readConfig: DATABASE_OWNER_URL', () => {
	it('is passed on with DATABASE_URL', () => {
		const config = readConfig({ DATABASE_URL: 'postgres://chorus_web@db/chorus', DATABASE_OWNER_URL: ' postgres://chorus_owner@db/chorus ' });
		expect(config).toMatchObject({ databaseUrl: 'postgres://chorus_web@db/chorus', databaseOwnerUrl: 'postgres://chorus_owner@db/chorus' });
		expect(readConfig({ DATABASE_URL: 'postgres://chorus@db/chorus' }).databaseOwnerUrl).toBeUndefined();
	});

	it('is refused, saying why, when it is not a PostgreSQL URL or comes without DATABASE_URL', () => {
		expect(() => readConfig({ DATABASE_URL: 'postgres://chorus@db/chorus', DATABASE_OWNER_URL: 'mysql://db' })).toThrow(
			new ConfigError('DATABASE_OWNER_URL must start with postgres:// or postgresql://.')
		);
		expect(() => readConfig({ DATABASE_OWNER_URL: 'postgres://chorus_owner@db/chorus' })).toThrow(
			new ConfigError('DATABASE_OWNER_URL is for PostgreSQL: set DATABASE_URL too, for the user that serves the app.')
		);
	});
});

describe('readConfig: DEFAULT_LOCALE', () => {
	it('is English unless the installation says German', () => {
		expect(readConfig({}).defaultLocale).toBe('en');
		expect(readConfig({ DEFAULT_LOCALE: ' de ' }).defaultLocale).toBe('de');
	});

	it('refuses a language Chorus has no message file for, saying which it has', () => {
		expect(() => readConfig({ DEFAULT_LOCALE: 'fr' })).toThrow(/DEFAULT_LOCALE must be one of en, de, not "fr"/);
	});
});

describe('readConfig: sign-in rules', () => {
	it('asks staff for a second factor, and ends idle staff sessions after 30 minutes, unless told otherwise', () => {
		expect(readConfig({}).signIn).toEqual({ secondFactorPolicy: 'staff', staffIdleMs: 30 * 60_000 });
		expect(readConfig({ REQUIRE_MFA_FOR: 'staff' }).signIn.secondFactorPolicy).toBe('staff');
		expect(readConfig({ REQUIRE_MFA_FOR: 'all', STAFF_IDLE_MINUTES: '10' }).signIn).toEqual({ secondFactorPolicy: 'all', staffIdleMs: 10 * 60_000 });
		expect(readConfig({ REQUIRE_MFA_FOR: ' none ' }).signIn.secondFactorPolicy).toBe('none');
	});

	it('refuses a policy or an idle time it does not know, saying what it takes', () => {
		expect(() => readConfig({ REQUIRE_MFA_FOR: 'admins' })).toThrow(/REQUIRE_MFA_FOR must be one of staff, all, none, not "admins"/);
		expect(() => readConfig({ STAFF_IDLE_MINUTES: '1' })).toThrow(/STAFF_IDLE_MINUTES must be a whole number of minutes from 2 to 1440/);
		expect(() => readConfig({ STAFF_IDLE_MINUTES: 'half an hour' })).toThrow(/STAFF_IDLE_MINUTES/);
	});

	it('takes ENCRYPTION_KEY as 32 bytes in base64 and says how to make one when it is not', () => {
		const key = Buffer.alloc(32, 7).toString('base64');
		expect(readConfig({ ENCRYPTION_KEY: key }).encryptionKey).toEqual(new Uint8Array(32).fill(7));
		expect(readConfig({}).encryptionKey).toBeUndefined();
		expect(() => readConfig({ ENCRYPTION_KEY: 'secret' })).toThrow(/ENCRYPTION_KEY must be 32 random bytes in base64.*randomBytes\(32\)/);
		expect(() => readConfig({ ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') })).toThrow(/ENCRYPTION_KEY/);
	});
});
