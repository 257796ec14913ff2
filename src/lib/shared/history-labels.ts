import { PLAN_SECTIONS } from './plan-sections.ts';

/** A section id of the history (the eight sections and `goals`) in plain words. */
export function historySectionTitle(id: string): string {
	if (id === 'goals') return 'Goals and steps';
	return PLAN_SECTIONS.find((section) => section.id === id)?.title ?? id;
}

/** How a change was made, in plain words. */
export const CONTEXT_LABELS = {
	joint: 'Together (both sides in the plan)',
	solo: 'Between appointments'
} as const;

/** "3 characters", "1 character". */
export function characters(count: number): string {
	return `${count.toLocaleString('en-GB')} ${count === 1 ? 'character' : 'characters'}`;
}

/** "12 characters added, 1 character removed" for one section of an edit session. */
export function describeCharacters(change: { added: number; removed: number }): string {
	const parts = [change.added > 0 ? `${characters(change.added)} added` : null, change.removed > 0 ? `${characters(change.removed)} removed` : null];
	const said = parts.filter((part) => part !== null);
	return said.length > 0 ? said.join(', ') : 'layout or details changed';
}

/** "1 goal added, 2 changed" or null when no goal was touched. */
export function describeGoalChanges(goals: { added: number; changed: number; removed: number }): string | null {
	const parts = [
		goals.added > 0 ? `${goals.added} added` : null,
		goals.changed > 0 ? `${goals.changed} changed` : null,
		goals.removed > 0 ? `${goals.removed} removed` : null
	].filter((part) => part !== null);
	if (parts.length === 0) return null;
	const count = goals.added + goals.changed + goals.removed;
	return `${count === 1 ? 'Goal' : 'Goals'}: ${parts.join(', ')}`;
}
