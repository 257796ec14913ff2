import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		adapter: adapter({ out: 'build' }),
		// The care-domain commands are shared with the command line (server/cli.ts): pages and API routes call them
		// through $commands. Only src/lib/server reaches db/ ($db) directly, for page-level reads.
		alias: { $db: 'db', $commands: 'server/commands' },
		// Pages get a nonce-based CSP from SvelteKit; server/http-headers.ts gives every other response a strict default.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		},
		typescript: {
			config(tsconfig) {
				tsconfig.include.push('../server/**/*.ts', '../db/**/*.ts', '../tests/**/*.ts', '../drizzle.config.ts', '../playwright.config.ts');
			}
		}
	}
};

export default config;
