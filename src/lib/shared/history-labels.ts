import { m } from '../paraglide/messages.js';
import { translated } from './locale.ts';
import { PLAN_SECTIONS } from './plan-sections.ts';

/** A section id of the history (the eight sections and `goals`) in plain words. */
export function historySectionTitle(id: string): string {
	if (id === 'goals') return m.history_section_goals();
	return PLAN_SECTIONS.find((section) => section.id === id)?.title ?? id;
}

/** How a change was made, in plain words. */
export const CONTEXT_LABELS = translated({
	joint: m.history_context_joint,
	solo: m.history_context_solo
});

/** "3 characters", "1 character". */
export function characters(count: number): string {
	return m.history_characters({ count });
}

// The parts of one line are each a whole phrase ("12 characters added"); a list of them is joined with a comma.
const LIST = ', ';

/** "12 characters added, 1 character removed" for one section of an edit session. */
export function describeCharacters(change: { added: number; removed: number }): string {
	const parts = [
		change.added > 0 ? m.history_characters_added({ count: change.added }) : null,
		change.removed > 0 ? m.history_characters_removed({ count: change.removed }) : null
	];
	const said = parts.filter((part) => part !== null);
	return said.length > 0 ? said.join(LIST) : m.history_layout_changed();
}

/** "1 goal added, 2 changed" or null when no goal was touched. */
export function describeGoalChanges(goals: { added: number; changed: number; removed: number }): string | null {
	// The first part names what was counted ("1 goal added"), the rest follow it ("2 changed").
	const parts = [
		goals.added > 0 ? { count: goals.added, first: m.history_goals_added, then: m.history_goals_added } : null,
		goals.changed > 0 ? { count: goals.changed, first: m.history_goals_changed, then: m.history_goals_more_changed } : null,
		goals.removed > 0 ? { count: goals.removed, first: m.history_goals_removed, then: m.history_goals_more_removed } : null
	].filter((part) => part !== null);
	if (parts.length === 0) return null;
	return parts.map((part, index) => (index === 0 ? part.first : part.then)({ count: part.count })).join(LIST);
}

/** One line of what an edit session changed: a part of the plan, and what happened to it. */
export interface ChangeLine {
	/** Section id (`goals` for goals and their steps). */
	id: string;
	title: string;
	said: string;
}

/**
 * What an edit session changed, one line per part of the plan, for a list: each line stands on its own, so no
 * two run together ("… 46 characters added Goal: 1 added"). Goals added or removed join the line of the words
 * typed in goals.
 */
export function describeSessionChanges(session: {
	sections: { id: string; added: number; removed: number }[];
	goals: { added: number; changed: number; removed: number };
}): ChangeLine[] {
	const goals = describeGoalChanges(session.goals);
	const lines: ChangeLine[] = session.sections.map((section) => ({
		id: section.id,
		title: historySectionTitle(section.id),
		said: section.id === 'goals' && goals ? `${goals}; ${describeCharacters(section)}` : describeCharacters(section)
	}));
	if (goals && !session.sections.some((section) => section.id === 'goals')) lines.push({ id: 'goals', title: historySectionTitle('goals'), said: goals });
	return lines;
}
