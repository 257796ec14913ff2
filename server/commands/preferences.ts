import { setAccountLocale } from '../../db/accounts.ts';
import type { SessionUser } from '../../db/session.ts';
import { isLocale, type Locale } from '../../src/lib/shared/locale.ts';
import { done, refused, type Outcome } from '../../src/lib/shared/outcome.ts';
import type { CommandContext } from './actor.ts';

/**
 * Saves the language a person reads Chorus in; every page after this one is in it, on every device. Only a language
 * Chorus has a message file for is kept: anything else is refused and changes nothing.
 */
export async function chooseOwnLanguage(context: CommandContext, user: SessionUser, raw: unknown): Promise<Outcome<Locale, 'language-unknown'>> {
	if (!isLocale(raw)) return refused('language-unknown');
	await setAccountLocale(context.db, user.id, raw);
	return done(raw);
}
