import { describe, expect, it } from 'vitest';
import { safeNextPath } from './guards.ts';

// `next` as the login action reads it: already decoded once from the query string.
const ANOTHER_SITE = [
	'//evil.example',
	'///evil.example',
	'/\\evil.example',
	'/\\/evil.example',
	'\\\\evil.example',
	'\\/evil.example',
	'/\t/evil.example',
	'/\n/evil.example',
	'/\r\n/evil.example',
	'/\u0000/evil.example',
	'/\u007f/evil.example',
	'\t//evil.example',
	' //evil.example',
	'/..//evil.example',
	'/./\\evil.example',
	'/a/../..//evil.example',
	'/%2e%2e//evil.example',
	'/%2F/evil.example',
	'/%2f%2fevil.example',
	'/%5C/evil.example',
	'/%5c%5cevil.example',
	'/%09/evil.example',
	'/%0a/evil.example',
	'/%00/evil.example',
	'/%E0%A4%A',
	'https://evil.example',
	'https:evil.example',
	'HTTPS://evil.example',
	'http:/evil.example',
	'javascript:alert(1)',
	'JaVaScRiPt:alert(1)',
	'data:text/html,<script>alert(1)</script>',
	'evil.example',
	'plans',
	'',
	null
];

describe('safeNextPath', () => {
	it.each(ANOTHER_SITE.map((next) => [JSON.stringify(next), next]))('sends %s home instead', (_label, next) => {
		expect(safeNextPath(next)).toBe('/');
	});

	it('keeps paths on this site, with their query', () => {
		const plan = '/plans/6f1c3c1e-5a43-4d7e-9a53-0b0d6a3c2e11';
		expect(safeNextPath(plan)).toBe(plan);
		expect(safeNextPath(`${plan}/history?person=x&section=section%3Aabout`)).toBe(`${plan}/history?person=x&section=section%3Aabout`);
		expect(safeNextPath('/audit?team=6f1c3c1e-5a43-4d7e-9a53-0b0d6a3c2e11')).toBe('/audit?team=6f1c3c1e-5a43-4d7e-9a53-0b0d6a3c2e11');
		expect(safeNextPath('/')).toBe('/');
		expect(safeNextPath('/account?next=//evil.example')).toBe('/account?next=//evil.example');
	});

	it('answers a clean path that stays on this site wherever it is followed', () => {
		const odd = ['/a b', '/é', '/a/../b', '/%252F/evil.example', '/x?y=\u00e9', '/x#//evil.example', '/\u2028/evil.example', '/／evil.example'];
		for (const next of [...odd, ...ANOTHER_SITE]) {
			const path = safeNextPath(next);
			expect(path).toMatch(/^\/(?![/\\])[\x21-\x7e]*$/);
			expect(new URL(path, 'https://chorus.example').origin).toBe('https://chorus.example');
		}
		expect(safeNextPath('/a b')).toBe('/a%20b');
		expect(safeNextPath('/a/../b')).toBe('/b');
	});
});
