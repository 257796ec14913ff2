import { m } from '../paraglide/messages.js';
import { currentTimeZone, intlLocale } from './dates.ts';

/** Why a version was pinned (db/schema/versions.ts). */
export type VersionKind = 'agreement' | 'appointment' | 'manual';

/** What a version's name is made from: the name someone gave it, or else its kind and when it was pinned. */
export interface VersionNaming {
	kind: VersionKind;
	/** Null when nobody named it: nothing of ours is stored, the name is said here in the reader's language. */
	name: string | null;
	createdAt: Date | string;
}

/** The day of a moment in the reader's language and time zone, e.g. "3 December 2026" / "3. Dezember 2026". */
function dayOf(moment: Date | string): string {
	return new Intl.DateTimeFormat(intlLocale(), { day: 'numeric', month: 'long', year: 'numeric', timeZone: currentTimeZone() }).format(new Date(moment));
}

/** A version's name as the reader sees it: the name given, or "Saved 3 December 2026" and the like. */
export function versionName(version: VersionNaming): string {
	if (version.name) return version.name;
	const date = dayOf(version.createdAt);
	if (version.kind === 'agreement') return m.versions_default_name_agreement({ date });
	if (version.kind === 'appointment') return m.versions_default_name_appointment({ date });
	return m.versions_default_name_manual({ date });
}
