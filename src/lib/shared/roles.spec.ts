import { describe, expect, it } from 'vitest';
import { disciplineEnum, planStatusEnum, roleEnum } from '../../../db/schema/enums.ts';
import { DISCIPLINES, PLAN_STATUSES, ROLES } from './roles.ts';

// db/ may not import the app's lists (it imports only packages), so this test keeps the two in step: a role or
// discipline added on one side only would be refused by the database or never offered by the app.
describe('the roles, disciplines and plan statuses', () => {
	it('are the same in the database schema and in the app', () => {
		expect([...roleEnum.enumValues]).toEqual([...ROLES]);
		expect([...disciplineEnum.enumValues]).toEqual([...DISCIPLINES]);
		expect([...planStatusEnum.enumValues]).toEqual([...PLAN_STATUSES]);
	});
});
