import { describe, expect, it } from 'vitest';
import { secondFactorRequired, sessionStanding } from './sign-in-policy.ts';

const staff = { role: 'professional' as const, secondFactorResetAt: null };
const serviceUser = { role: 'service_user' as const, secondFactorResetAt: null };
const passwordOnly = { secondFactorAt: null };
const verified = { secondFactorAt: new Date() };

describe('who must have a second factor', () => {
	it('is staff by default, everyone or nobody when the installation says so', () => {
		expect(secondFactorRequired('professional', 'staff')).toBe(true);
		expect(secondFactorRequired('admin', 'staff')).toBe(true);
		expect(secondFactorRequired('service_user', 'staff')).toBe(false);
		expect(secondFactorRequired('service_user', 'all')).toBe(true);
		expect(secondFactorRequired('supervisor', 'none')).toBe(false);
	});
});

describe('where a session stands', () => {
	it('sends staff without a factor to set one up, and anyone with one to use it', () => {
		expect(sessionStanding(staff, passwordOnly, 0, 'staff')).toBe('enrol');
		expect(sessionStanding(staff, passwordOnly, 1, 'staff')).toBe('verify');
		expect(sessionStanding(staff, verified, 1, 'staff')).toBe('complete');
		expect(sessionStanding(serviceUser, passwordOnly, 1, 'none')).toBe('verify');
	});

	it('never forces a service user, and lets staff in with a password where the installation asks for nothing', () => {
		expect(sessionStanding(serviceUser, passwordOnly, 0, 'staff')).toBe('complete');
		expect(sessionStanding(staff, passwordOnly, 0, 'none')).toBe('complete');
	});

	it('makes someone whose factors an administrator reset set up a new one, whatever the policy', () => {
		expect(sessionStanding({ ...serviceUser, secondFactorResetAt: new Date() }, passwordOnly, 0, 'none')).toBe('enrol');
		expect(sessionStanding({ ...staff, secondFactorResetAt: new Date() }, verified, 0, 'none')).toBe('enrol');
	});
});
