import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/** One no-restricted-imports rule per folder; the message says why the boundary is there. */
function boundaries(rules) {
	return rules.map(({ files, why, patterns }) => ({
		files,
		ignores: ['**/*.spec.ts'],
		rules: { 'no-restricted-imports': ['error', { patterns: [{ group: patterns, message: why }] }] }
	}));
}

export default ts.config(
	{
		ignores: ['build/', 'src/lib/paraglide/', '.svelte-kit/', 'node_modules/', 'db/migrations/', 'test-results/', 'playwright-report/', 'demo-data/', 'data/']
	},
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } }
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts'],
		languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'], svelteConfig } }
	},
	// The layout of STYLE.md, enforced: who may import what.
	...boundaries([
		{
			files: ['src/routes/**'],
			why: 'Routes reach the database through src/lib/server (page-level reads) and $commands (changes), never directly.',
			patterns: ['$db', '$db/*', 'drizzle-orm', 'drizzle-orm/*', 'postgres', '**/db/*.ts', '**/db/**/*.ts']
		},
		{
			files: ['db/**'],
			why: 'db/ is the storage layer: it imports only packages and its own modules.',
			patterns: ['$*', '$*/**', '**/src/**', '**/server/**', '**/tests/**']
		},
		{
			files: ['server/**'],
			why: 'server/ runs under plain Node: it imports db/ and src/lib/shared by relative paths, no Vite aliases and no components.',
			patterns: [
				'$*',
				'$*/**',
				'**/*.svelte',
				'@sveltejs/kit',
				'**/src/routes/**',
				'**/src/lib/server/**',
				'**/src/lib/components/**',
				'**/src/lib/editor/**',
				'**/tests/**'
			]
		},
		{
			files: ['src/lib/shared/**'],
			why: 'src/lib/shared runs in the browser and on the server: no node: modules, no components, no server code.',
			patterns: ['node:*', '**/*.svelte', '$lib/server', '$lib/server/**', '$db', '$db/**', '$commands/**', '**/db/**', '**/server/**', '$app/**']
		}
	]),
	{
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
			// Internal links in this app are plain paths; SvelteKit's resolve() adds nothing here.
			'svelte/no-navigation-without-resolve': 'off'
		}
	}
);
