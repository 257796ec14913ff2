import { describe, expect, it } from 'vitest';
import { authorColor } from './author-colors.ts';
import { presenceFor } from './presence.ts';

const priya = { id: '6f1c2a4e-8d1b-4c55-9a1e-2f0c7d3b9e10', displayName: 'Priya Shah', role: 'professional' as const, discipline: 'social_worker' as const };
const alex = { id: '0b7e9c31-5a2d-4f8e-b6c4-93d1e2a7f058', displayName: 'Alex Morgan', role: 'professional' as const, discipline: 'peer_worker' as const };
const sam = { id: 'c3d4e5f6-0718-4a2b-9c3d-4e5f60718293', displayName: 'Sam Taylor', role: 'service_user' as const, discipline: null };

describe('author colours', () => {
	it('gives a person the same colour in presence (carets, "Here now") as in "who wrote what"', () => {
		for (const person of [priya, alex, sam]) {
			const presence = presenceFor(person, false);
			expect(presence.color).toBe(authorColor({ id: person.id, kind: presence.kind }).strong);
		}
	});

	it('depends on the person alone, not on who else is in the plan', () => {
		expect(authorColor({ id: priya.id, kind: 'professional' })).toEqual(authorColor({ id: priya.id, kind: 'professional' }));
		expect(authorColor({ id: sam.id, kind: 'service_user' })).toEqual({ tint: '#fde3bd', strong: '#8a4b00' });
		expect(authorColor({ id: 'someone-else', kind: 'service_user' })).toEqual(authorColor({ id: sam.id, kind: 'service_user' }));
	});

	it('spreads professionals over several colours, none of them the warm colour of the person whose plan it is', () => {
		const strong = new Set(Array.from({ length: 200 }, (_, index) => authorColor({ id: `person-${index}`, kind: 'professional' }).strong));
		expect(strong.size).toBeGreaterThanOrEqual(6);
		expect(strong.has('#8a4b00')).toBe(false);
	});
});
