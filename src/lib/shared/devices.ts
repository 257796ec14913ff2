/**
 * A device as a person recognises it ("Firefox on Android"), read from the User-Agent a session was started with.
 * Names of browsers and systems are proper names (not translated); null where the string does not say.
 */
export interface DeviceDescription {
	browser: string | null;
	system: string | null;
}

// Order matters: Edge, Opera and Samsung Internet also say "Chrome"; Chrome also says "Safari".
const BROWSERS: [RegExp, string][] = [
	[/\bEdg(e|A|iOS)?\//, 'Edge'],
	[/\b(OPR|Opera)\//, 'Opera'],
	[/\bSamsungBrowser\//, 'Samsung Internet'],
	[/\b(Firefox|FxiOS)\//, 'Firefox'],
	[/\b(HeadlessChrome|Chrome|Chromium|CriOS)\//, 'Chrome'],
	[/\bVersion\/[\d.]+.*\bSafari\//, 'Safari']
];

const SYSTEMS: [RegExp, string][] = [
	[/\bAndroid\b/, 'Android'],
	[/\biPhone\b/, 'iPhone'],
	[/\biPad\b/, 'iPad'],
	[/\bCrOS\b/, 'ChromeOS'],
	[/\bWindows\b/, 'Windows'],
	[/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
	[/\bLinux\b/, 'Linux']
];

export function describeDevice(userAgent: string | null): DeviceDescription {
	const find = (table: [RegExp, string][]) => (userAgent ? (table.find(([pattern]) => pattern.test(userAgent))?.[1] ?? null) : null);
	return { browser: find(BROWSERS), system: find(SYSTEMS) };
}
