import { describe, expect, it } from 'vitest';
import { idleTimeLeftMs, isIdleTooLong, type SessionLimits } from './session.ts';

const THIRTY_MINUTES = 30 * 60_000;
const limits: SessionLimits = { idleLimitMs: (role) => (role === 'service_user' ? null : THIRTY_MINUTES) };

describe('idle sessions', () => {
	const now = Date.parse('2026-12-03T12:00:00Z');
	const minutesAgo = (minutes: number) => new Date(now - minutes * 60_000);

	it('counts the time left from the last activity, and none once the limit has passed', () => {
		expect(idleTimeLeftMs('professional', minutesAgo(10), limits, now)).toBe(20 * 60_000);
		expect(idleTimeLeftMs('admin', minutesAgo(30), limits, now)).toBe(0);
		expect(idleTimeLeftMs('supervisor', minutesAgo(45), limits, now)).toBe(0);
		expect(isIdleTooLong('professional', minutesAgo(30), limits, now)).toBe(false);
		expect(isIdleTooLong('professional', minutesAgo(31), limits, now)).toBe(true);
	});

	it('has no limit for roles without one', () => {
		expect(idleTimeLeftMs('service_user', minutesAgo(600), limits, now)).toBeNull();
		expect(isIdleTooLong('service_user', minutesAgo(600), limits, now)).toBe(false);
	});
});
