import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PlanRecord } from '../commands/plan-record.ts';
import { PLAN_SECTIONS } from '../../src/lib/shared/plan-sections.ts';
import { crisisCardPdf } from './crisis-card-pdf.ts';
import { planPdf } from './plan-pdf.ts';

const folder = mkdtempSync(join(tmpdir(), 'chorus-pdf-'));
let files = 0;

/** Runs a poppler tool on the PDF (pdftotext, pdfinfo, pdffonts) and returns what it prints. */
function poppler(bytes: Uint8Array, tool: string, ...args: string[]): string {
	const file = join(folder, `${files++}.pdf`);
	writeFileSync(file, bytes);
	return execFileSync(tool, [...args, file, ...(tool === 'pdftotext' ? ['-'] : [])], { encoding: 'utf8' });
}

const at = new Date('2026-12-03T10:00:00Z');

function record(crisis: string[], extra: Partial<PlanRecord> = {}): PlanRecord {
	return {
		plan: {
			id: '00000000-0000-4000-8000-000000000001',
			title: 'Übermäßig große Straße',
			status: 'active',
			reviewDate: '2027-03-31',
			createdAt: at,
			updatedAt: at,
			serviceUser: { id: 'su', displayName: 'Jörg Weiß' },
			team: { id: 'team', name: 'Team' }
		},
		careTeam: [{ id: 'pro', displayName: 'Ava Müller', role: 'professional', discipline: 'nurse' }],
		version: null,
		seq: 3,
		outline: {
			sections: PLAN_SECTIONS.map((section) => ({
				id: section.id,
				blocks:
					section.id === 'crisis'
						? crisis.map((text) => ({ kind: 'paragraph' as const, text, depth: 0, checked: null }))
						: section.id === 'hope'
							? [
									{ kind: 'heading', text: 'Größere Hoffnung', depth: 0, checked: null },
									{ kind: 'item', text: 'Spaziergänge', depth: 0, checked: null },
									{ kind: 'item', text: 'Früh aufstehen', depth: 1, checked: true }
								]
							: [],
				goals:
					section.id === 'hope'
						? [
								{
									id: 'g1',
									text: 'Öfter draußen sein',
									status: 'active',
									targetDate: '2027-01-15',
									steps: [{ id: 's1', what: 'Schuhe kaufen', done: true, who: 'me', byWhen: null }]
								}
							]
						: []
			}))
		},
		goalWriters: {},
		writers: [],
		versions: [],
		crisisContact: { teamId: 'team', name: 'Krisendienst Süd', phone: '+49 30 123', hours: 'Nachts', note: null, updatedBy: null, updatedAt: at },
		...extra
	};
}

describe('plan PDF', () => {
	it('holds every section, the goals and German letters, tagged with its title and embedded fonts', async () => {
		const bytes = await planPdf(record(['Ruhe über alles']), { printedAt: at, reader: 'owner' });
		const text = poppler(bytes, 'pdftotext', '-layout');
		for (const section of PLAN_SECTIONS) expect(text).toContain(section.title);
		for (const words of [
			'Übermäßig große Straße',
			'Jörg Weiß',
			'Größere Hoffnung',
			'Spaziergänge',
			'Früh aufstehen',
			'Öfter draußen sein',
			'Schuhe kaufen',
			'Ava Müller',
			'Page 1 of'
		])
			expect(text).toContain(words);
		const info = poppler(bytes, 'pdfinfo');
		expect(info).toMatch(/Title:\s+Übermäßig große Straße/);
		expect(info).toMatch(/Tagged:\s+yes/);
		expect(info).toMatch(/PDF version:\s+1\.7/);
		const fonts = poppler(bytes, 'pdffonts').split('\n').slice(2).filter(Boolean);
		expect(fonts.length).toBeGreaterThan(0);
		for (const font of fonts) expect(font).toMatch(/DejaVu.* yes /);
	});
});

describe('crisis card PDF', () => {
	for (const layout of ['page', 'wallet'] as const) {
		it(`(${layout}) holds the crisis words as written and the contact, on one page`, async () => {
			const bytes = await crisisCardPdf(record(['Wenn ich nicht schlafe: Tee trinken, Musik hören.']), { layout, printedAt: at });
			const text = poppler(bytes, 'pdftotext').replace(/\s+/g, ' ');
			for (const words of ['If things get difficult', 'Jörg Weiß', 'Wenn ich nicht schlafe: Tee trinken, Musik hören.', 'Krisendienst Süd', '+49 30 123'])
				expect(text).toContain(words);
			expect(poppler(bytes, 'pdfinfo')).toMatch(/Pages:\s+1\n/);
		});

		it(`(${layout}) shows the four prompts when the section is empty`, async () => {
			const text = poppler(await crisisCardPdf(record([]), { layout, printedAt: at }), 'pdftotext').replace(/\s+/g, ' ');
			for (const prompt of PLAN_SECTIONS.find((section) => section.id === 'crisis')!.prompts) expect(text).toContain(prompt);
		});

		it(`(${layout}) says "continued in my plan" when the words cannot fit`, async () => {
			const long = Array.from({ length: 200 }, (_, index) => `Absatz ${index}: ${'sehr viele Wörter '.repeat(12)}`);
			const bytes = await crisisCardPdf(record(long), { layout, printedAt: at });
			expect(poppler(bytes, 'pdftotext').replace(/\s+/g, ' ')).toContain('Continued in my plan.');
			expect(poppler(bytes, 'pdfinfo')).toMatch(/Pages:\s+1\n/);
		});
	}
});
