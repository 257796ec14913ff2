import { m } from '../paraglide/messages.js';
import { formatDay } from './dates.ts';

/** Why a version was pinned (db/schema/versions.ts). */
export type VersionKind = 'agreement' | 'appointment' | 'manual';

/** What a version's name is made from: the name someone gave it, or else its kind and when it was pinned. */
export interface VersionNaming {
	kind: VersionKind;
	/** Null when nobody named it: nothing of ours is stored, the name is said here in the reader's language. */
	name: string | null;
	createdAt: Date | string;
}

/** A version's name as the reader sees it: the name given, or "Saved 3 December 2026" and the like. */
export function versionName(version: VersionNaming): string {
	if (version.name) return version.name;
	const date = formatDay(version.createdAt);
	if (version.kind === 'agreement') return m.versions_default_name_agreement({ date });
	if (version.kind === 'appointment') return m.versions_default_name_appointment({ date });
	return m.versions_default_name_manual({ date });
}
