import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getLocale, overwriteGetLocale } from '../paraglide/runtime.js';
import { GOALS_FIELD, sectionField } from './plan-sections.ts';
import { outlinePlan, planAsText } from './plan-text.ts';

const pageLocale = getLocale;
afterEach(() => overwriteGetLocale(pageLocale));

/** A plan with a line about hope, one goal with a done step, and nothing else. */
function plan(): Y.Doc {
	const doc = new Y.Doc();
	const paragraph = new Y.XmlElement('paragraph');
	doc.getXmlFragment(sectionField('hope')).push([paragraph]);
	paragraph.push([new Y.XmlText('Walking the coast path.')]);
	const goal = new Y.Map<unknown>();
	const step = new Y.Map<unknown>();
	doc.getArray(GOALS_FIELD).push([goal]);
	goal.set('domain', 'hope');
	goal.set('status', 'active');
	goal.set('text', 'Walk once a week');
	const steps = new Y.Array<unknown>();
	goal.set('steps', steps);
	steps.push([step]);
	step.set('what', 'Buy boots');
	step.set('who', 'me');
	step.set('done', true);
	return doc;
}

const heading = { title: 'My plan', person: 'Sam Taylor', printedAt: '3 December 2026' };

describe('the plan as plain text', () => {
	it('says the plan in English, with the goals under their section', () => {
		const text = planAsText(outlinePlan(plan()), heading);
		expect(text).toContain('My plan\nSam Taylor’s plan · copy made 3 December 2026\n');
		expect(text).toContain('HOPE AND OPTIMISM\nWalking the coast path.\nGoal: Walk once a week (Working on it)\n  - [x] Buy boots (Me)\n');
		expect(text).toContain('ABOUT ME\n(nothing written yet)\n');
	});

	it('says it in the language of the one downloading it', () => {
		const outline = outlinePlan(plan());
		overwriteGetLocale(() => 'de');
		const text = planAsText(outline, { ...heading, printedAt: '3. Dezember 2026' });
		expect(text).toContain('Plan von Sam Taylor · Kopie vom 3. Dezember 2026\n');
		expect(text).toContain('HOFFNUNG UND ZUVERSICHT\nWalking the coast path.\nZiel: Walk once a week (In Arbeit)\n  - [x] Buy boots (Ich)\n');
		expect(text).toContain('ÜBER MICH\n(noch nichts geschrieben)\n');
	});
});
