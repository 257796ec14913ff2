import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { I18N_OPTIONS } from './server/i18n-compile.ts';
import { chorusDevServer } from './server/vite-plugin.ts';

export default defineConfig({
	// Vitest runs with the messages compiled beforehand (npm run i18n:compile): its two projects would otherwise
	// compile into the same folder at once.
	plugins: [...(process.env.VITEST ? [] : [paraglideVitePlugin(I18N_OPTIONS)]), sveltekit(), chorusDevServer()],
	test: {
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					environment: 'node',
					include: ['src/**/*.spec.ts', 'db/**/*.spec.ts', 'server/**/*.spec.ts'],
					// Specs that need a database (`*.db.spec.ts`) run in the integration project, which starts one.
					exclude: ['**/*.db.spec.ts', '**/node_modules/**']
				}
			},
			{
				extends: true,
				test: {
					name: 'integration',
					environment: 'node',
					include: ['tests/integration/**/*.test.ts', 'src/**/*.db.spec.ts', 'db/**/*.db.spec.ts', 'server/**/*.db.spec.ts'],
					globalSetup: ['tests/helpers/global-setup.ts'],
					testTimeout: 60_000,
					hookTimeout: 120_000
				}
			}
		]
	}
});
