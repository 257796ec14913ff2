import { PLAN_SECTIONS, type SectionId } from './plan-sections.ts';

/**
 * Notices the server sends everyone in a plan (MESSAGE_NOTICE): something happened that people should know about
 * while they are in it. Codes and params only; the page says them in the reader's words. Only the server makes
 * them (a client's message of this type is refused), and the browser reads each with `readPlanNotice` before
 * showing it.
 */

/** Who did it: their id (so a page can say "you") and their name as the server knows it. */
export interface NoticePerson {
	id: string;
	name: string;
}

/** A section id, or `plan` for the whole plan. */
export type RestoredPart = SectionId | 'plan';

export type PlanNotice =
	| { code: 'appointment-started'; params: { by: NoticePerson } }
	/** `versionSeq`: the seq of the version saved when it ended. */
	| { code: 'appointment-ended'; params: { by: NoticePerson; versionSeq: number } }
	/** `seq`: the change that brought `target` back as it was after `fromSeq`; `seq - 1` is the plan just before. */
	| { code: 'plan-restored'; params: { by: NoticePerson; target: RestoredPart; fromSeq: number; seq: number } }
	/** `seq`: the change that undid the restore at `undoneSeq`. */
	| { code: 'restore-undone'; params: { by: NoticePerson; target: RestoredPart; undoneSeq: number; seq: number } };

export type PlanNoticeCode = PlanNotice['code'];

const NAME_MAX = 200;

const isSeq = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

function readPerson(value: unknown): NoticePerson | null {
	if (typeof value !== 'object' || value === null) return null;
	const { id, name } = value as Record<string, unknown>;
	if (typeof id !== 'string' || id.length === 0 || id.length > 64) return null;
	if (typeof name !== 'string' || name.length === 0 || name.length > NAME_MAX) return null;
	return { id, name };
}

function readPart(value: unknown): RestoredPart | null {
	if (value === 'plan') return 'plan';
	return PLAN_SECTIONS.find((section) => section.id === value)?.id ?? null;
}

/** A notice as received (parsed JSON), checked field by field; null for anything else. Unknown fields are dropped. */
export function readPlanNotice(value: unknown): PlanNotice | null {
	if (typeof value !== 'object' || value === null) return null;
	const { code, params } = value as Record<string, unknown>;
	if (typeof params !== 'object' || params === null) return null;
	const raw = params as Record<string, unknown>;
	const by = readPerson(raw.by);
	if (!by) return null;
	switch (code) {
		case 'appointment-started':
			return { code, params: { by } };
		case 'appointment-ended':
			return isSeq(raw.versionSeq) ? { code, params: { by, versionSeq: raw.versionSeq } } : null;
		case 'plan-restored': {
			const target = readPart(raw.target);
			if (!target || !isSeq(raw.fromSeq) || !isSeq(raw.seq) || raw.seq < 1) return null;
			return { code, params: { by, target, fromSeq: raw.fromSeq, seq: raw.seq } };
		}
		case 'restore-undone': {
			const target = readPart(raw.target);
			if (!target || !isSeq(raw.undoneSeq) || !isSeq(raw.seq) || raw.seq < 1) return null;
			return { code, params: { by, target, undoneSeq: raw.undoneSeq, seq: raw.seq } };
		}
		default:
			return null;
	}
}

/** The JSON a notice travels as; `readPlanNotice(JSON.parse(...))` reads it back. */
export function encodePlanNotice(notice: PlanNotice): string {
	return JSON.stringify(notice);
}
