import { describe, expect, it } from 'vitest';
import { confirmationPath, isFreshlyConfirmed } from './confirmation';

describe('fresh confirmation', () => {
	it('counts a confirmation up to 15 minutes old', () => {
		const now = Date.now();
		const at = (minutesAgo: number) => ({ locals: { session: { confirmedAt: new Date(now - minutesAgo * 60_000) } } }) as never;
		expect(isFreshlyConfirmed(at(14), now)).toBe(true);
		expect(isFreshlyConfirmed(at(16), now)).toBe(false);
		expect(isFreshlyConfirmed({ locals: { session: null } } as never, now)).toBe(false);
	});

	it('comes back to the page a form was on, not to its action', () => {
		expect(confirmationPath(new URL('http://x/plans/1/at/5?/restore'))).toBe(`/login/confirm?next=${encodeURIComponent('/plans/1/at/5')}`);
		expect(confirmationPath(new URL('http://x/plans/1/download?format=md'))).toBe(`/login/confirm?next=${encodeURIComponent('/plans/1/download?format=md')}`);
	});
});
