import { afterEach, describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatMonth, formatTime, isTimeZone, setTimeZoneSource } from './dates.ts';
import { formatNumber, formatPercent } from './numbers.ts';

afterEach(() => setTimeZoneSource(() => undefined));

describe('dates in the reader’s language', () => {
	it('writes a calendar day as each language does, whatever the time zone', () => {
		setTimeZoneSource(() => 'Pacific/Kiritimati');
		expect(formatDate('2027-03-31', 'en')).toBe('31 March 2027');
		expect(formatDate('2027-03-31', 'de')).toBe('31. März 2027');
		expect(formatMonth('2026-12-01', 'de')).toBe('Dez');
	});

	it('shows a moment in the person’s time zone', () => {
		const moment = new Date('2026-11-27T13:05:00Z');
		setTimeZoneSource(() => 'Europe/Berlin');
		expect(formatDateTime(moment, 'de')).toBe('27. Nov. 2026, 14:05');
		expect(formatTime(moment, 'en')).toBe('14:05');
		setTimeZoneSource(() => 'America/New_York');
		expect(formatDateTime(moment, 'en')).toBe('27 Nov 2026, 08:05');
	});

	it('knows real time zones only', () => {
		expect(isTimeZone('Europe/Berlin')).toBe(true);
		for (const zone of ['Mars/Base', '', 'x'.repeat(100), null, 42]) expect(isTimeZone(zone)).toBe(false);
	});
});

describe('numbers in the reader’s language', () => {
	it('groups digits and writes percentages as each language does', () => {
		expect(formatNumber(1204, 'en')).toBe('1,204');
		expect(formatNumber(1204, 'de')).toBe('1.204');
		expect(formatPercent(0.42, 'en')).toBe('42%');
		expect(formatPercent(0.42, 'de')).toBe('42\u00a0%');
	});
});
