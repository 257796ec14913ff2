import { afterEach, describe, expect, it } from 'vitest';
import { getLocale, overwriteGetLocale } from '../paraglide/runtime.js';
import { CONTEXT_LABELS, characters, describeCharacters, describeGoalChanges, describeSessionChanges } from './history-labels.ts';

const pageLocale = getLocale;
afterEach(() => overwriteGetLocale(pageLocale));

const NO_GOALS = { added: 0, changed: 0, removed: 0 };

describe('history labels', () => {
	it('counts characters in the singular and the plural', () => {
		expect(characters(1)).toBe('1 character');
		expect(characters(46)).toBe('46 characters');
		expect(describeCharacters({ added: 1, removed: 2 })).toBe('1 character added, 2 characters removed');
		expect(describeCharacters({ added: 0, removed: 0 })).toBe('layout or details changed');
	});

	it('says goal changes with the word "goal" once, in the singular or the plural', () => {
		expect(describeGoalChanges(NO_GOALS)).toBeNull();
		expect(describeGoalChanges({ added: 1, changed: 0, removed: 0 })).toBe('1 goal added');
		expect(describeGoalChanges({ added: 0, changed: 2, removed: 1 })).toBe('2 goals changed, 1 removed');
	});

	it('gives each part of a session its own line, goals with the words typed in them', () => {
		const lines = describeSessionChanges({
			sections: [
				{ id: 'hope', added: 46, removed: 0 },
				{ id: 'goals', added: 12, removed: 0 }
			],
			goals: { added: 1, changed: 0, removed: 0 }
		});
		expect(lines).toEqual([
			{ id: 'hope', title: 'Hope and optimism', said: '46 characters added' },
			{ id: 'goals', title: 'Goals and steps', said: '1 goal added; 12 characters added' }
		]);
	});

	it('has a line of its own for goals removed without words typed', () => {
		expect(describeSessionChanges({ sections: [{ id: 'crisis', added: 0, removed: 3 }], goals: { added: 0, changed: 0, removed: 1 } })).toEqual([
			{ id: 'crisis', title: 'If things get difficult', said: '3 characters removed' },
			{ id: 'goals', title: 'Goals and steps', said: '1 goal removed' }
		]);
	});

	it('says the same in the reader’s language, looked up when read', () => {
		overwriteGetLocale(() => 'de');
		expect(characters(1204)).toBe('1.204 Zeichen');
		expect(describeCharacters({ added: 1, removed: 2 })).toBe('1 Zeichen hinzugefügt, 2 Zeichen entfernt');
		expect(describeGoalChanges({ added: 0, changed: 2, removed: 1 })).toBe('2 Ziele geändert, 1 entfernt');
		expect(CONTEXT_LABELS.solo).toBe('Zwischen den Terminen');
		expect(describeSessionChanges({ sections: [], goals: { added: 1, changed: 0, removed: 0 } })).toEqual([
			{ id: 'goals', title: 'Ziele und Schritte', said: '1 Ziel hinzugefügt' }
		]);
	});
});
