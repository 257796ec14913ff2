import { compile, type CompilerOptions } from '@inlang/paraglide-js';

/**
 * How the message files (messages/*.json) become the functions the app calls (src/lib/paraglide, generated and not
 * committed). One set of options for the Vite build and for `npm run i18n:compile`, which the Node entry points, the
 * command line and the tests need before they can import a message.
 *
 * The language of a request is chosen by Chorus itself (src/lib/shared/locale.ts: saved preference → cookie →
 * Accept-Language → DEFAULT_LOCALE); "custom-chorus" hands that choice to Paraglide on the server and reads it back
 * from `<html lang>` in the browser, so the page never changes language while it hydrates.
 */
export const I18N_OPTIONS = {
	project: './project.inlang',
	outdir: './src/lib/paraglide',
	strategy: ['custom-chorus', 'baseLocale'],
	emitReadme: false
} satisfies CompilerOptions;

if (import.meta.url === `file://${process.argv[1]}`) {
	await compile(I18N_OPTIONS);
}
