import { describe, expect, it } from 'vitest';
import { describeDevice } from './devices.ts';

describe('describeDevice', () => {
	it.each([
		[
			'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
			{ browser: 'Edge', system: 'Windows' }
		],
		[
			'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
			{ browser: 'Chrome', system: 'Android' }
		],
		[
			'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
			{ browser: 'Safari', system: 'iPhone' }
		],
		['Mozilla/5.0 (Macintosh; Intel Mac OS X 14.1; rv:132.0) Gecko/20100101 Firefox/132.0', { browser: 'Firefox', system: 'macOS' }],
		['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/140.0.0.0 Safari/537.36', { browser: 'Chrome', system: 'Linux' }],
		[
			'Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36',
			{ browser: 'Samsung Internet', system: 'Android' }
		],
		['curl/8.5.0', { browser: null, system: null }],
		[null, { browser: null, system: null }]
	])('reads %s', (userAgent, expected) => {
		expect(describeDevice(userAgent)).toEqual(expected);
	});
});
