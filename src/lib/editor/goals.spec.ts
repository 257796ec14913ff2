import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addGoal, addStep, goalsOf, moveGoal, readGoals, removeGoal, removeStep, setGoalField, setStepField } from './goals.ts';

function sync(a: Y.Doc, b: Y.Doc): void {
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
	Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

describe('goals in the plan document', () => {
	it('adds goals per domain in order, with steps', () => {
		const doc = new Y.Doc();
		const first = addGoal(doc, 'hope', 'Go back to choir');
		const second = addGoal(doc, 'hope', 'Walk by the river on Sundays');
		addGoal(doc, 'connectedness', 'Call my sister every week');
		const stepId = addStep(doc, first, 'worker')!;
		readGoals(doc)
			.find((goal) => goal.id === first)!
			.steps[0]!.what.insert(0, 'Find the choir’s rehearsal times');
		setStepField(doc, first, stepId, 'byWhen', '2027-01-15');
		setStepField(doc, first, stepId, 'done', true);
		setGoalField(doc, first, 'status', 'active');
		setGoalField(doc, first, 'targetDate', '2027-03-01');

		const goals = readGoals(doc);
		expect(goals.map((goal) => [goal.domain, goal.text.toString()])).toEqual([
			['connectedness', 'Call my sister every week'],
			['hope', 'Go back to choir'],
			['hope', 'Walk by the river on Sundays']
		]);
		const choir = goals[1]!;
		expect(choir).toMatchObject({ id: first, status: 'active', targetDate: '2027-03-01' });
		expect(choir.steps).toMatchObject([{ id: stepId, who: 'worker', byWhen: '2027-01-15', done: true }]);
		expect(choir.steps[0]!.what.toString()).toBe('Find the choir’s rehearsal times');
		expect(goals[2]!.id).toBe(second);
	});

	it('reorders within a domain without re-creating goals', () => {
		const doc = new Y.Doc();
		const a = addGoal(doc, 'meaning', 'A');
		const b = addGoal(doc, 'meaning', 'B');
		const c = addGoal(doc, 'meaning', 'C');
		const textBefore = readGoals(doc).find((goal) => goal.id === c)!.text;
		moveGoal(doc, c, -1);
		expect(readGoals(doc).map((goal) => goal.id)).toEqual([a, c, b]);
		moveGoal(doc, a, -1); // already first: nothing happens
		expect(readGoals(doc).map((goal) => goal.id)).toEqual([a, c, b]);
		expect(readGoals(doc).find((goal) => goal.id === c)!.text).toBe(textBefore);
	});

	it('separates goals two people added at the same moment, so they can still be moved', () => {
		const alice = new Y.Doc();
		const bob = new Y.Doc();
		const fromAlice = addGoal(alice, 'identity', 'mine');
		const fromBob = addGoal(bob, 'identity', 'yours');
		sync(alice, bob);
		const [first, second] = readGoals(alice);
		expect(first!.order).toBe(second!.order);
		moveGoal(alice, second!.id, -1);
		sync(alice, bob);
		expect(readGoals(bob).map((goal) => goal.id)).toEqual([second!.id, first!.id]);
		expect(new Set([fromAlice, fromBob])).toEqual(new Set([first!.id, second!.id]));
	});

	it('ignores values that do not fit, whoever wrote them', () => {
		const doc = new Y.Doc();
		const id = addGoal(doc, 'empowerment', 'Decide my own medication review questions');
		setGoalField(doc, id, 'status', 'done-and-dusted');
		setGoalField(doc, id, 'targetDate', 'tomorrow');
		const rogue = new Y.Map<unknown>();
		rogue.set('id', 42);
		goalsOf(doc).push([rogue]);
		const goals = readGoals(doc);
		expect(goals).toHaveLength(1);
		expect(goals[0]).toMatchObject({ status: 'proposed', targetDate: '' });
	});

	it('removes steps and goals', () => {
		const doc = new Y.Doc();
		const id = addGoal(doc, 'hope', 'x');
		const step = addStep(doc, id)!;
		expect(removeStep(doc, id, step)).not.toBeNull();
		expect(readGoals(doc)[0]!.steps).toEqual([]);
		expect(removeStep(doc, id, step)).toBeNull();
		removeGoal(doc, id);
		expect(readGoals(doc)).toEqual([]);
	});

	it('brings back a removed step where it was, with what it said, and undoes nothing else', () => {
		const sam = new Y.Doc();
		const priya = new Y.Doc();
		const goal = addGoal(sam, 'connectedness', 'See my cousin');
		const first = addStep(sam, goal)!;
		const second = addStep(sam, goal, 'worker')!;
		const third = addStep(sam, goal)!;
		const stepOf = (doc: Y.Doc, id: string) => readGoals(doc)[0]!.steps.find((step) => step.id === id);
		stepOf(sam, second)!.what.insert(0, 'Find her new number');
		setStepField(sam, goal, second, 'byWhen', '2027-02-01');
		setStepField(sam, goal, second, 'done', true);
		sync(sam, priya);

		const removal = removeStep(sam, goal, second)!;
		expect(readGoals(sam)[0]!.steps.map((step) => step.id)).toEqual([first, third]);
		// Someone else changes the goal meanwhile: bringing the step back keeps their change.
		sync(sam, priya);
		stepOf(priya, first)!.what.insert(0, 'Ask Mum');
		sync(priya, sam);

		expect(removal.undo()).toBe(true);
		const steps = readGoals(sam)[0]!.steps;
		expect(steps.map((step) => step.id)).toEqual([first, second, third]);
		expect(steps[1]).toMatchObject({ who: 'worker', byWhen: '2027-02-01', done: true });
		expect(steps[1]!.what.toString()).toBe('Find her new number');
		expect(steps[0]!.what.toString()).toBe('Ask Mum');
		sync(sam, priya);
		expect(readGoals(priya)[0]!.steps.map((step) => step.what.toString())).toEqual(['Ask Mum', 'Find her new number', '']);
		expect(removal.undo(), 'an undo works once').toBe(false);
	});
});
