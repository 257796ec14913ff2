import { describe, expect, it } from 'vitest';
import { stepOwnerLabels } from './plan-sections.ts';

describe('who does a step, in the reader’s words', () => {
	it('is “me” and “my worker” for the person whose plan it is', () => {
		expect(stepOwnerLabels('owner', 'Sam Taylor')).toEqual({ me: 'Me', worker: 'My worker', someone_else: 'Someone else' });
	});

	it('names the person for a professional, for whom “Me” is the worker', () => {
		expect(stepOwnerLabels('professional', 'Sam Taylor')).toEqual({ me: 'Sam Taylor', worker: 'Me (Sam Taylor’s worker)', someone_else: 'Someone else' });
	});

	it('names both for someone reading the plan', () => {
		expect(stepOwnerLabels('reader', 'Sam Taylor')).toEqual({ me: 'Sam Taylor', worker: 'Sam Taylor’s worker', someone_else: 'Someone else' });
	});
});
