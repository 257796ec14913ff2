import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAccountByUsername } from '../../db/accounts.ts';
import { listPlanVersions } from '../../db/plan-versions.ts';
import { addCareTeamMember, createPlan } from '../../db/plans.ts';
import { auditEvent } from '../../db/schema/index.ts';
import { findTeamByName } from '../../db/teams.ts';
import type { Database } from '../../db/types.ts';
import { seedDemo } from '../../server/demo-seed.ts';
import { writeScriptedHistory } from '../../server/scripted-history.ts';
import { signInCookie } from '../helpers/http-session.ts';
import { ROOT } from '../helpers/processes.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

// The real built server (npm run build) with the demo team and one plan of Sam's (care team Tom, Riverside team:
// Maria supervises it) written in German words, with a version agreed before later words were added. PDFs are read
// back with poppler (pdftotext, pdfinfo, pdffonts).

const PEOPLE = ['sam', 'tom', 'maria', 'noah', 'robin'] as const;
type Person = (typeof PEOPLE)[number];

const TITLE = 'Übermäßig große Straße';
const WORDS = {
	about: 'Ich heiße Jürgen und wohne an der Übermäßig großen Straße.',
	hope: 'Hoffnung: öfter spazieren gehen, Grüße an die Nachbarn.',
	crisis: 'Wenn ich nachts nicht schlafe, hilft mir Tee mit Honig; bitte rufen Sie Frau Weiß an.',
	goal: 'Größere Schritte wagen',
	later: 'Später geschrieben: Fußball am Sonntag.'
};

let server: TestServer;
let planId = '';
let versionId = '';
const cookies = {} as Record<Person, string>;
const de = JSON.parse(readFileSync(join(ROOT, 'messages', 'de.json'), 'utf8')) as Record<string, string>;
const folder = mkdtempSync(join(tmpdir(), 'chorus-pdf-export-'));
let files = 0;

async function seed(db: Database): Promise<void> {
	await seedDemo(db);
	const sam = (await findAccountByUsername(db, 'sam'))!;
	const tom = (await findAccountByUsername(db, 'tom'))!;
	const team = await findTeamByName(db, 'Riverside Community Mental Health Team');
	const created = await createPlan(db, { title: TITLE, serviceUserId: sam.id, teamId: team!.id });
	if (!created.ok) throw new Error(created.error);
	planId = created.value.id;
	await addCareTeamMember(db, planId, tom.id, tom.id);
	const now = Date.now();
	await writeScriptedHistory(db, {
		planId,
		visits: [
			{
				at: new Date(now - 3 * 3600_000),
				by: sam.id,
				context: 'joint',
				writes: [
					{ section: 'about', text: WORDS.about },
					{ section: 'hope', text: WORDS.hope },
					{ section: 'crisis', text: WORDS.crisis },
					{ goal: crypto.randomUUID(), domain: 'hope', text: WORDS.goal }
				]
			},
			{ at: new Date(now - 3600_000), by: tom.id, context: 'solo', writes: [{ section: 'about', text: ` ${WORDS.later}` }] }
		],
		versions: [
			{
				afterVisit: 0,
				name: 'Vereinbarte Fassung für München',
				kind: 'agreement',
				createdBy: tom.id,
				signOffs: [
					{ userId: sam.id, decision: 'agree', at: new Date(now - 2.5 * 3600_000) },
					{ userId: tom.id, decision: 'agree', at: new Date(now - 2.4 * 3600_000) }
				]
			}
		]
	});
	versionId = (await listPlanVersions(db, planId))[0]!.id;
}

beforeAll(async () => {
	server = await startTestServer({}, seed);
	for (const person of PEOPLE) cookies[person] = await signInCookie(server.url, person);
});

afterAll(async () => {
	await server?.dispose();
});

/** A GET as this person (or nobody), in German, without following redirects. */
const get = (person: Person | null, path: string) =>
	fetch(`${server.url}${path}`, { redirect: 'manual', headers: { 'accept-language': 'de', ...(person ? { cookie: cookies[person] } : {}) } });

async function pdf(person: Person, path: string): Promise<{ file: string; text: string; response: Response }> {
	const response = await get(person, path);
	expect(
		response.status,
		await response
			.clone()
			.text()
			.then((body) => body.slice(0, 300))
	).toBe(200);
	expect(response.headers.get('content-type')).toBe('application/pdf');
	expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="[\x20-\x7e]+\.pdf"; filename\*=UTF-8''\S+\.pdf$/);
	const bytes = new Uint8Array(await response.arrayBuffer());
	expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');
	const file = join(folder, `${files++}.pdf`);
	writeFileSync(file, bytes);
	const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: bytes, encoding: 'utf8' });
	return { file, text, response };
}

/** Words as pdftotext gives them, with line breaks and layout spaces as single spaces (to find wrapped sentences). */
const flat = (text: string) => text.replace(/\s+/g, ' ');

function expectTaggedWithFonts(file: string, title: string): void {
	const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
	expect(info).toMatch(new RegExp(`Title:\\s+${title}\\n`));
	expect(info).toMatch(/Tagged:\s+yes/);
	expect(info).toMatch(/PDF version:\s+1\.7/);
	const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).trim().split('\n').slice(2);
	expect(fonts.length).toBeGreaterThan(0);
	for (const font of fonts) expect(font).toMatch(/DejaVuSans\S*\s+CID TrueType\s+Identity-H\s+yes\s+yes/);
}

describe('the plan as a PDF', () => {
	it('holds every section title, the goal and the German words intact, tagged, titled, fonts embedded', async () => {
		const { file, text } = await pdf('sam', `/plans/${planId}/pdf`);
		const words = flat(text);
		for (const key of Object.keys(de).filter((name) => /^section_[a-z]+_title$/.test(name))) expect(words).toContain(de[key]);
		for (const written of [
			TITLE,
			WORDS.about,
			WORDS.hope,
			WORDS.crisis,
			WORDS.goal,
			WORDS.later,
			'Plan von Sam Taylor',
			'Tom Becker',
			'Vereinbarte Fassung für München'
		])
			expect(words).toContain(written);
		expect(words).toContain('Gedruckt am');
		expect(words).toMatch(/Seite 1 von \d/);
		expectTaggedWithFonts(file, TITLE);
	});

	it('of a saved version holds that version’s words and not later ones, and who agreed', async () => {
		const { file, text, response } = await pdf('tom', `/plans/${planId}/pdf?version=${versionId}`);
		const words = flat(text);
		expect(words).toContain(WORDS.about);
		expect(words).toContain(WORDS.goal);
		expect(words).not.toContain(WORDS.later);
		expect(words).toContain('„Vereinbarte Fassung für München“');
		expect(words).toMatch(/Sam Taylor hat am .+ zugestimmt/);
		expect(response.headers.get('content-disposition')).toContain("filename*=UTF-8''plan-fassung-");
		expectTaggedWithFonts(file, TITLE);
	});

	it('is for the plan’s readers only, like the text download', async () => {
		for (const person of ['sam', 'tom', 'maria'] as const) expect((await get(person, `/plans/${planId}/pdf`)).status, person).toBe(200);
		for (const person of ['noah', 'robin'] as const) expect((await get(person, `/plans/${planId}/pdf`)).status, person).toBe(404);
		const text = await get(null, `/plans/${planId}/download`);
		const anonymous = await get(null, `/plans/${planId}/pdf`);
		expect(anonymous.status).toBe(text.status);
		expect(anonymous.headers.get('location')).toBe(text.headers.get('location')?.replace('%2Fdownload', '%2Fpdf') ?? null);
		expect((await get('sam', `/plans/${planId}/pdf?version=${crypto.randomUUID()}`)).status).toBe(404);
		expect((await get('sam', `/plans/${planId}/pdf?version=not-a-version`)).status).toBe(404);
	});
});

describe('the crisis card as a PDF', () => {
	for (const layout of ['page', 'wallet'] as const) {
		it(`(${layout}) holds the crisis words exactly as written and the team’s crisis contact, on one page`, async () => {
			const { file, text } = await pdf('sam', `/plans/${planId}/crisis-card/pdf${layout === 'wallet' ? '?layout=wallet' : ''}`);
			const words = flat(text);
			for (const written of [de.pdf_crisis_title, 'Sam Taylor', WORDS.crisis, 'the Riverside crisis line', '01632 960 123']) expect(words).toContain(written);
			expect(words).not.toContain(WORDS.hope);
			expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(/Pages:\s+1\n/);
			expectTaggedWithFonts(file, `${de.pdf_crisis_title} – Sam Taylor`);
		});
	}

	it('refuses a layout it does not know clearly, and keeps the plan’s access', async () => {
		const refused = await get('sam', `/plans/${planId}/crisis-card/pdf?layout=poster`);
		expect(refused.status).toBe(400);
		expect(await refused.text()).toContain('layout=wallet');
		for (const person of ['tom', 'maria'] as const) expect((await get(person, `/plans/${planId}/crisis-card/pdf`)).status, person).toBe(200);
		for (const person of ['noah', 'robin'] as const) expect((await get(person, `/plans/${planId}/crisis-card/pdf`)).status, person).toBe(404);
		expect((await get(null, `/plans/${planId}/crisis-card/pdf`)).status).toBe((await get(null, `/plans/${planId}/download`)).status);
	});
});

describe('every PDF download', () => {
	it('is recorded as plan.exported with its format', async () => {
		const storage = await server.openStorage();
		const before = await storage.db
			.select({ detail: auditEvent.detail })
			.from(auditEvent)
			.where(and(eq(auditEvent.action, 'plan.exported'), eq(auditEvent.targetId, planId)));
		await pdf('maria', `/plans/${planId}/pdf?version=${versionId}`);
		await pdf('maria', `/plans/${planId}/crisis-card/pdf?layout=wallet`);
		const after = await storage.db
			.select({ detail: auditEvent.detail, actorId: auditEvent.actorId })
			.from(auditEvent)
			.where(and(eq(auditEvent.action, 'plan.exported'), eq(auditEvent.targetId, planId)));
		await storage.close();
		expect(after).toHaveLength(before.length + 2);
		expect(after.map((row) => row.detail)).toEqual(
			expect.arrayContaining([
				{ format: 'pdf' },
				{ format: 'pdf', version: versionId },
				{ format: 'crisis-card-pdf', layout: 'page' },
				{ format: 'crisis-card-pdf', layout: 'wallet' }
			])
		);
	});
});
