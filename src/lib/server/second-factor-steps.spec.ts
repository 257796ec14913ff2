import { describe, expect, it } from 'vitest';
import { mayReachBeforeSecondFactor, secondFactorStepPath } from './second-factor-steps.ts';

describe('a session waiting for its second factor', () => {
	it('reaches its own step, sign-out and the language switch, and nothing else', () => {
		expect(mayReachBeforeSecondFactor('verify', '/login/verify')).toBe(true);
		expect(mayReachBeforeSecondFactor('verify', '/login/verify/passkey')).toBe(true);
		expect(mayReachBeforeSecondFactor('verify', '/login/verify/__data.json')).toBe(true);
		expect(mayReachBeforeSecondFactor('verify', '/logout')).toBe(true);
		expect(mayReachBeforeSecondFactor('verify', '/language')).toBe(true);
		expect(mayReachBeforeSecondFactor('verify', '/account/security')).toBe(false);
		expect(mayReachBeforeSecondFactor('enrol', '/account/security/authenticator')).toBe(true);
		expect(mayReachBeforeSecondFactor('enrol', '/account')).toBe(false);
		expect(mayReachBeforeSecondFactor('enrol', '/account/securityx')).toBe(false);
		expect(mayReachBeforeSecondFactor('enrol', '/')).toBe(false);
		expect(mayReachBeforeSecondFactor('enrol', '/__data.json')).toBe(false);
	});

	it('is sent to its step, coming back afterwards to the page it asked for (not to a data request)', () => {
		expect(secondFactorStepPath('verify', new URL('http://x/'))).toBe('/login/verify');
		expect(secondFactorStepPath('enrol', new URL('http://x/plans/1?tab=history'))).toBe('/account/security?next=%2Fplans%2F1%3Ftab%3Dhistory');
		expect(secondFactorStepPath('enrol', new URL('http://x/plans/1/__data.json?x-sveltekit-invalidated=01'))).toBe('/account/security?next=%2Fplans%2F1');
		expect(secondFactorStepPath('verify', new URL('http://x/admin?/disable'))).toBe('/login/verify?next=%2Fadmin');
		expect(secondFactorStepPath('verify', new URL('http://x/plans/1/versions?tab=a&/save'))).toBe('/login/verify?next=%2Fplans%2F1%2Fversions%3Ftab%3Da');
	});
});
