import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.ts';
import { seal } from '../../db/secret-box.ts';
import { totpCredential, user } from '../../db/schema/index.ts';
import { createEmptyPostgresDatabase } from '../helpers/database.ts';
import { runNodeScript } from '../helpers/processes.ts';

// Authenticator-app keys are sealed with ENCRYPTION_KEY: without it nobody who set one up could finish signing in.
describe('start-up and ENCRYPTION_KEY', () => {
	let url: string;
	let drop: () => Promise<void>;
	beforeAll(async () => {
		({ url, drop } = await createEmptyPostgresDatabase());
	});
	afterAll(() => drop());

	const start = (env: NodeJS.ProcessEnv) =>
		runNodeScript('server/index.ts', [], { env: { DATABASE_URL: url, DATA_DIR: '', PORT: '0', HOST: '127.0.0.1', ENCRYPTION_KEY: '', ...env } });

	it('refuses to start without the key once an authenticator app is set up, and says how to make one', async () => {
		const database = await openDatabase({ databaseUrl: url, dataDir: '', holder: 'a test' });
		try {
			const [person] = await database.db.insert(user).values({ username: 'nurse', displayName: 'A nurse', role: 'professional' }).returning({ id: user.id });
			await database.db.insert(totpCredential).values({ userId: person!.id, sealedKey: seal(new Uint8Array(32), new Uint8Array(20)), confirmedAt: new Date() });
		} finally {
			await database.close();
		}
		const refused = await start({});
		expect(refused.code).toBe(1);
		expect(refused.stderr).toMatch(/ENCRYPTION_KEY is not set, but 1 authenticator app is set up/);
		expect(refused.stderr).toMatch(/randomBytes\(32\)/);
	});

	it('refuses a key that is not 32 bytes in base64 before opening anything', async () => {
		const refused = await start({ ENCRYPTION_KEY: 'letmein' });
		expect(refused.code).toBe(1);
		expect(refused.stderr).toMatch(/ENCRYPTION_KEY must be 32 random bytes in base64/);
	});
});
