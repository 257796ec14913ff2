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
