import { defineConfig } from 'drizzle-kit';

// Only `drizzle-kit generate` uses this: migrations are generated, reviewed, committed, and applied at start-up.
export default defineConfig({
	dialect: 'postgresql',
	schema: './db/schema/index.ts',
	out: './db/migrations'
});
