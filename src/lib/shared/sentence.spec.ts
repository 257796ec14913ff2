import { describe, expect, it } from 'vitest';
import { aroundPiece } from './sentence.ts';

describe('aroundPiece', () => {
	it('splits a sentence where the translation puts the piece', () => {
		expect(aroundPiece((phone) => `Call ${phone}.`)).toEqual({ before: 'Call ', after: '.' });
		expect(aroundPiece((phone) => `Rufen Sie ${phone} an.`)).toEqual({ before: 'Rufen Sie ', after: ' an.' });
	});

	it('keeps the whole sentence before when a translation leaves the piece out', () => {
		expect(aroundPiece(() => 'Call the line.')).toEqual({ before: 'Call the line.', after: '' });
	});
});
