import { and, asc, eq, gt } from 'drizzle-orm';
import * as Y from 'yjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addCareTeamMember, createPlan } from '../../db/plans.ts';
import { appointment, auditEvent, planUpdate, planVersion, type User } from '../../db/schema/index.ts';
import { addTeamMember, createTeam } from '../../db/teams.ts';
import type { Database } from '../../db/types.ts';
import { measurePlanInvolvement } from '../../server/involvement/measure.ts';
import { writeScriptedHistory, type ScriptedPlan, type ScriptedVisit } from '../../server/scripted-history.ts';
import { INVOLVEMENT_EXPORT_COLUMNS, inertCsvText, type InvolvementExportRow } from '../../src/lib/shared/involvement-export.ts';
import { createCollabClientPool } from '../helpers/collab-client.ts';
import { testDatabaseKind } from '../helpers/database.ts';
import { makeAccount, TEST_PASSWORD } from '../helpers/factories.ts';
import { signInCookie } from '../helpers/http-session.ts';
import { appendParagraph } from '../helpers/plan-doc.ts';
import { readPageData, submitAction, type ActionOutcome } from '../helpers/sveltekit-requests.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

// The real built server (npm run build) with a team of seven plans whose past is written by writeScriptedHistory,
// so that every figure of the involvement audit is known by construction: each text below has an exact length in
// UTF-16 units, and each visit a known day. Pat (social worker) is on every care team; Sue supervises the team.
// Otto supervises two other teams, one of them with Quinn's plan (care team: Ray, a nurse).

const DAY = 24 * 3600_000;
const HOUR = 3600_000;

const PLANS = ['alba', 'bram', 'cleo', 'dara', 'eli', 'finn', 'gale'] as const;
type PlanKey = (typeof PLANS)[number];
const PEOPLE = ['sue', 'otto', 'pat', 'ray', 'quinn', ...PLANS] as const;
type Person = (typeof PEOPLE)[number];

const NAMES: Record<PlanKey, string> = {
	alba: 'Alba Reyes',
	bram: 'Bram Visser',
	cleo: 'Cleo Park',
	dara: 'Dara Quinn',
	eli: 'Eli Stone',
	finn: 'Finn Doyle',
	gale: 'Gale Morris'
};
/** Eli's plan has a title a spreadsheet would run as a formula, with a quote and a comma in it. */
const FORMULA_TITLE = '=HYPERLINK("http://example.test","Eli, click")';
const titleOf = (key: PlanKey) => (key === 'eli' ? FORMULA_TITLE : `${NAMES[key]}’s plan`);

/** Words of exactly `length` UTF-16 units, from a phrase repeated (never splitting a character in two). */
function exactly(length: number, phrase: string): string {
	let text = '';
	for (const character of phrase.repeat(Math.ceil(length / phrase.length) + 1)) {
		if (text.length + character.length > length) break;
		text += character;
	}
	return text.padEnd(length, '.');
}

let server: TestServer;
let seededAt = 0;
const accounts = {} as Record<Person, User>;
const cookies = {} as Record<Person, string>;
const planIds = {} as Record<PlanKey, string>;
const reviewDates = {} as Record<PlanKey, string | null>;
/** The seq of each plan's last scripted change. */
const scriptedSeq = {} as Record<PlanKey, number>;
let teamId = '';
let otherTeamIds: string[] = [];
/** Quinn's plan, in Otto's first team: nothing has changed in it since it was last measured, 60 days ago. */
let quietPlanId = '';
/** When Ray, then Quinn, wrote in it. */
const quietVisits = { ray: 0, quinn: 0 };
const collabClients = createCollabClientPool();

/** The plans, in visits: who wrote how many characters where, and when (days before the seeding). */
function scripts(now: number): Record<PlanKey, { reviewInDays: number | null; script: Omit<ScriptedPlan, 'planId'> }> {
	// Two hours more than whole days, so "days since" is the same whole number however long the tests take.
	const daysAgo = (days: number, minutes = 0) => new Date(now - days * DAY - 2 * HOUR + minutes * 60_000);
	const pat = accounts.pat.id;
	const own = (key: PlanKey) => accounts[key].id;
	const visit = (at: Date, by: string, context: ScriptedVisit['context'], writes: ScriptedVisit['writes'], appointment = false): ScriptedVisit => ({
		at,
		by,
		context,
		writes,
		...(appointment ? { appointment: { endedBy: pat } } : {})
	});
	const agree = (userId: string, at: Date) => ({ userId, decision: 'agree' as const, at });
	return {
		// 300 of 1,000 characters by Alba; goal 1 exactly half hers (own words), goal 2 nine of twenty (not); hope and
		// crisis written together; three sessions on her own (60, 20 and 10 days ago); the plan as it is now agreed.
		alba: {
			reviewInDays: 60,
			script: {
				visits: [
					visit(
						daysAgo(70),
						pat,
						'joint',
						[
							{ section: 'hope', text: exactly(200, 'Alba talks about her cousins with warmth. ') },
							{ section: 'crisis', text: exactly(100, 'Call the team first. ') },
							{ goal: 'alba-goal-1', domain: 'hope', text: exactly(10, 'Swim more ') },
							{ goal: 'alba-goal-2', domain: 'connectedness', text: exactly(11, 'See friends ') }
						],
						true
					),
					visit(daysAgo(60), own('alba'), 'solo', [{ section: 'about', text: exactly(181, 'I paint and I swim in the lake. ') }]),
					visit(daysAgo(40), pat, 'solo', [{ section: 'connectedness', text: exactly(379, 'Weekly group at the hub with peers. ') }]),
					visit(daysAgo(20), own('alba'), 'solo', [
						{ section: 'hope', text: exactly(50, ' I want to swim in the sea. ') },
						{ goal: 'alba-goal-1', text: exactly(10, ' each week'), domain: 'hope' },
						{ goal: 'alba-goal-2', text: exactly(9, ' on Fri.'), domain: 'connectedness' }
					]),
					visit(daysAgo(10), own('alba'), 'solo', [{ section: 'crisis', text: exactly(50, ' Text my sister Rosa. ') }])
				],
				versions: [
					{ afterVisit: 4, name: 'Agreed plan', kind: 'agreement', createdBy: pat, signOffs: [agree(pat, daysAgo(9)), agree(own('alba'), daysAgo(9))] }
				]
			}
		},
		// 100 of 1,000 by Bram, who last wrote 100 days ago; no version; review overdue; no crisis plan.
		bram: {
			reviewInDays: -5,
			script: {
				visits: [
					visit(daysAgo(100), own('bram'), 'solo', [{ section: 'about', text: exactly(100, 'I fix old radios. ') }]),
					visit(daysAgo(3), pat, 'solo', [
						{ section: 'hope', text: exactly(850, 'Bram could be encouraged to attend the group. ') },
						{ goal: 'bram-goal-1', domain: 'hope', text: exactly(50, 'Attend the group every week. ') }
					])
				]
			}
		},
		// Agreed 209 days ago (longer than a review period), and the plan is still word for word what was agreed: Pat
		// typed words since and took them out again.
		cleo: {
			reviewInDays: 20,
			script: {
				visits: [
					visit(daysAgo(210), pat, 'joint', [{ section: 'about', text: exactly(60, 'Cleo likes long walks. ') }], true),
					visit(daysAgo(210, 30), own('cleo'), 'joint', [{ section: 'about', text: exactly(40, ' I walk the dog. ') }]),
					visit(daysAgo(30), pat, 'solo', [
						{ section: 'about', text: ' and more words' },
						{ section: 'about', removeLast: ' and more words'.length }
					])
				],
				versions: [
					{ afterVisit: 1, name: 'Our first plan', kind: 'agreement', createdBy: pat, signOffs: [agree(pat, daysAgo(209)), agree(own('cleo'), daysAgo(209))] }
				]
			}
		},
		// Agreed 199 days ago, changed since, and Dara disagreed with the newer version: not agreed. 100 of 300 by Dara.
		dara: {
			reviewInDays: null,
			script: {
				visits: [
					visit(daysAgo(200), own('dara'), 'solo', [{ section: 'about', text: exactly(60, 'I sing in a choir. ') }]),
					visit(daysAgo(200, 60), pat, 'solo', [
						{ section: 'hope', text: exactly(150, 'Dara hopes to sing solo. ') },
						{ section: 'crisis', text: exactly(50, 'Call the crisis line. ') }
					]),
					visit(daysAgo(50), own('dara'), 'solo', [{ section: 'hope', text: exactly(40, ' In the spring concert. ') }])
				],
				versions: [
					{ afterVisit: 1, name: 'First agreement', kind: 'agreement', createdBy: pat, signOffs: [agree(pat, daysAgo(199)), agree(own('dara'), daysAgo(199))] },
					{
						afterVisit: 2,
						name: 'Spring plan',
						kind: 'manual',
						createdBy: pat,
						signOffs: [agree(pat, daysAgo(40)), { userId: own('dara'), decision: 'disagree', reason: 'Not the concert.', at: daysAgo(40) }]
					}
				]
			}
		},
		// Nothing written yet.
		eli: { reviewInDays: null, script: { visits: [] } },
		// Finn wrote every character (one of them a two-unit emoji); agreed 35 days ago, changed since.
		finn: {
			reviewInDays: 60,
			script: {
				visits: [
					visit(daysAgo(40), own('finn'), 'solo', [{ section: 'about', text: exactly(60, 'I bake bread on Sundays. ') }]),
					visit(daysAgo(20), own('finn'), 'solo', [{ section: 'crisis', text: exactly(40, 'Ring Mo 🌱 ') }])
				],
				versions: [{ afterVisit: 0, name: 'Finn’s plan', kind: 'agreement', createdBy: pat, signOffs: [agree(own('finn'), daysAgo(35))] }]
			}
		},
		// 50 of 100 by Gale; the plan the live tests type into.
		gale: {
			reviewInDays: 100,
			script: {
				visits: [
					visit(daysAgo(5), pat, 'solo', [{ section: 'about', text: exactly(50, 'Gale keeps bees. ') }]),
					visit(daysAgo(3), own('gale'), 'solo', [{ section: 'hope', text: exactly(50, 'I want more hives. ') }])
				]
			}
		}
	};
}

/** The team, its supervisor, the plans and their histories; a supervisor of two other teams; a nurse elsewhere. */
async function seedTeam(db: Database): Promise<void> {
	const now = Date.now();
	seededAt = now;
	const suffix = Math.random().toString(36).slice(2, 8);
	const team = await createTeam(db, `Audit team ${suffix}`);
	const otherTeams = [await createTeam(db, `Other audit team A ${suffix}`), await createTeam(db, `Other audit team B ${suffix}`)];
	if (!team.ok || !otherTeams.every((other) => other.ok)) throw new Error('could not create the teams');
	teamId = team.value.id;
	otherTeamIds = otherTeams.map((other) => (other.ok ? other.value.id : ''));

	accounts.sue = await makeAccount(db, 'supervisor', { displayName: 'Sue Palmer' });
	accounts.otto = await makeAccount(db, 'supervisor', { displayName: 'Otto Berg' });
	accounts.pat = await makeAccount(db, 'professional', { displayName: 'Pat Kaur', discipline: 'social_worker' });
	accounts.ray = await makeAccount(db, 'professional', { displayName: 'Ray Ortiz', discipline: 'nurse' });
	for (const key of PLANS) accounts[key] = await makeAccount(db, 'service_user', { displayName: NAMES[key] });
	await addTeamMember(db, teamId, accounts.sue.id);
	for (const other of otherTeamIds) await addTeamMember(db, other, accounts.otto.id);
	await addTeamMember(db, otherTeamIds[0]!, accounts.ray.id);

	for (const [key, { reviewInDays, script }] of Object.entries(scripts(now)) as [PlanKey, ReturnType<typeof scripts>[PlanKey]][]) {
		reviewDates[key] = reviewInDays === null ? null : new Date(now + reviewInDays * DAY).toISOString().slice(0, 10);
		const created = await createPlan(db, { title: titleOf(key), serviceUserId: accounts[key].id, teamId, reviewDate: reviewDates[key] });
		if (!created.ok) throw new Error(created.error);
		planIds[key] = created.value.id;
		await addCareTeamMember(db, created.value.id, accounts.pat.id, null);
		scriptedSeq[key] = (await writeScriptedHistory(db, { planId: created.value.id, ...script })).lastSeq;
	}
	// Quinn's plan was written 100 days ago and last measured 60 days ago (as the server would have, after the last
	// change); nothing has happened to it since.
	accounts.quinn = await makeAccount(db, 'service_user', { displayName: 'Quinn Hale' });
	const quiet = await createPlan(db, { title: 'Quinn’s plan', serviceUserId: accounts.quinn.id, teamId: otherTeamIds[0]! });
	if (!quiet.ok) throw new Error(quiet.error);
	quietPlanId = quiet.value.id;
	await addCareTeamMember(db, quietPlanId, accounts.ray.id, null);
	quietVisits.ray = now - 100 * DAY - 2 * HOUR;
	quietVisits.quinn = quietVisits.ray + HOUR;
	await writeScriptedHistory(db, {
		planId: quietPlanId,
		visits: [
			{ at: new Date(quietVisits.ray), by: accounts.ray.id, context: 'solo', writes: [{ section: 'about', text: exactly(70, 'Quinn repairs clocks. ') }] },
			{ at: new Date(quietVisits.quinn), by: accounts.quinn.id, context: 'solo', writes: [{ section: 'about', text: exactly(30, ' I love old clocks. ') }] }
		]
	});
	await measurePlanInvolvement(db, quietPlanId, new Date(now - 60 * DAY));

	// Cleo opened her plan long before she agreed to it: not "seen since the agreement".
	await db
		.insert(auditEvent)
		.values({ actorId: accounts.cleo.id, action: 'plan.viewed', targetType: 'plan', targetId: planIds.cleo, at: new Date(now - 250 * DAY) });
}

beforeAll(async () => {
	server = await startTestServer({}, seedTeam);
	for (const person of PEOPLE) cookies[person] = await signInCookie(server.url, accounts[person].username, TEST_PASSWORD);
});

afterEach(() => collabClients.closeAll());

afterAll(async () => {
	collabClients.closeAll();
	await server?.dispose();
});

/** Someone opens the plan in their editor; resolves once they have everything the server has. */
const open = (person: Person, planId: string) => collabClients.open(server.url, planId, cookies[person]);

/** Words as an editor sends them: each with its leading space, one change each. */
function typedPieces(words: string): string[] {
	const pieces = words.match(/\s*\S+/g) ?? [];
	if (pieces.join('') !== words) throw new Error(`“${words}” ends with a space no word carries`);
	return pieces;
}

/** How many logged changes typing a paragraph makes: one for the new paragraph, one per word. */
const paragraphChanges = (words: string) => 1 + typedPieces(words).length;

/** A new paragraph at the end of a section, as Tiptap makes one, then its words typed one change each. */
function typeParagraph(doc: Y.Doc, section: string, words: string): void {
	const text = appendParagraph(doc, section);
	for (const piece of typedPieces(words)) text.insert(text.length, piece);
}

interface ExportJson {
	team: { id: string; name: string };
	generatedAt: string;
	plans: InvolvementExportRow[];
}

async function get(person: Person | null, path: string): Promise<Response> {
	return fetch(`${server.url}${path}`, { headers: person ? { cookie: cookies[person] } : {} });
}

async function exportJson(person: Person = 'sue'): Promise<ExportJson> {
	const response = await get(person, `/api/audit/involvement?team=${teamId}&format=json`);
	expect(response.status).toBe(200);
	return (await response.json()) as ExportJson;
}

async function exportRowOf(key: PlanKey): Promise<InvolvementExportRow> {
	const row = (await exportJson()).plans.find((plan) => plan.plan_id === planIds[key]);
	if (!row) throw new Error(`${key}’s plan is missing from the export`);
	return row;
}

/** A page's server data as this person's browser reads it: the page's own node, or its error status. */
const pageData = (person: Person, path: string) => readPageData(server.url, cookies[person], path);

/** Submits a form action as this person, the way SvelteKit's enhanced forms do; fields as pairs (names repeat). */
const submit = (person: Person, path: string, fields: [string, string][]): Promise<ActionOutcome> =>
	submitAction(server.url, server.origin, cookies[person], path, fields);

/** Reads the server's database while it runs. */
async function inDatabase<T>(read: (db: Database) => Promise<T>): Promise<T> {
	const storage = await server.openStorage();
	try {
		return await read(storage.db);
	} finally {
		await storage.close();
	}
}

/**
 * A minimal RFC 4180 reader: fields separated by commas, records by CRLF, quoted fields may hold commas, line
 * breaks and doubled quotes.
 */
function parseCsv(text: string): string[][] {
	const records: string[][] = [];
	let record: string[] = [];
	let field = '';
	let quoted = false;
	for (let index = 0; index < text.length; index++) {
		const character = text[index]!;
		if (quoted) {
			if (character === '"' && text[index + 1] === '"') {
				field += '"';
				index++;
			} else if (character === '"') quoted = false;
			else field += character;
		} else if (character === '"' && field === '') quoted = true;
		else if (character === ',') {
			record.push(field);
			field = '';
		} else if (character === '\r' && text[index + 1] === '\n') {
			record.push(field);
			records.push(record);
			record = [];
			field = '';
			index++;
		} else field += character;
	}
	if (quoted) throw new Error('unterminated quoted field');
	if (field !== '' || record.length > 0) throw new Error('the last record does not end with CRLF');
	return records;
}

/** What the CSV should say for a JSON value: empty for null, true/false, flags joined by ';', formulas made inert. */
function csvText(value: InvolvementExportRow[keyof InvolvementExportRow]): string {
	if (value === null) return '';
	if (Array.isArray(value)) return value.join(';');
	return typeof value === 'string' ? inertCsvText(value) : String(value);
}

describe(`involvement audit of a team whose plans were written by script (${testDatabaseKind})`, () => {
	it('exports each plan’s measures and flags exactly as they were written', async () => {
		const exported = await exportJson();
		expect(exported.team).toEqual({ id: teamId, name: expect.stringMatching(/^Audit team /) });
		expect(Math.abs(Date.parse(exported.generatedAt) - Date.now())).toBeLessThan(60_000);
		expect(exported.plans).toHaveLength(PLANS.length);
		for (const row of exported.plans) expect(Object.keys(row)).toEqual(INVOLVEMENT_EXPORT_COLUMNS);

		const base = (key: PlanKey) => ({
			plan_id: planIds[key],
			plan_title: titleOf(key),
			service_user: NAMES[key],
			review_date: reviewDates[key],
			copy_seen: false
		});
		const expected: Record<PlanKey, InvolvementExportRow> = {
			alba: {
				...base('alba'),
				service_user_share_percent: 30,
				goals: 2,
				own_words_goals: 1,
				non_empty_sections: 4,
				co_produced_sections: 2,
				solo_sessions_30_days: 2,
				solo_sessions_90_days: 3,
				days_since_service_user_edit: 10,
				agreed: true,
				review: 'ok',
				crisis_plan: true,
				flags: []
			},
			bram: {
				...base('bram'),
				service_user_share_percent: 10,
				goals: 1,
				own_words_goals: 0,
				non_empty_sections: 2,
				co_produced_sections: 0,
				solo_sessions_30_days: 0,
				solo_sessions_90_days: 0,
				days_since_service_user_edit: 100,
				agreed: false,
				review: 'overdue',
				crisis_plan: false,
				flags: ['low_share', 'no_recent_edit', 'not_agreed', 'review_overdue', 'no_crisis_plan']
			},
			cleo: {
				...base('cleo'),
				service_user_share_percent: 40,
				goals: 0,
				own_words_goals: 0,
				non_empty_sections: 1,
				co_produced_sections: 1,
				solo_sessions_30_days: 0,
				solo_sessions_90_days: 0,
				days_since_service_user_edit: 210,
				agreed: true,
				review: 'due',
				crisis_plan: false,
				flags: ['no_recent_edit', 'no_crisis_plan']
			},
			dara: {
				...base('dara'),
				service_user_share_percent: 33.3,
				goals: 0,
				own_words_goals: 0,
				non_empty_sections: 3,
				co_produced_sections: 1,
				solo_sessions_30_days: 0,
				solo_sessions_90_days: 1,
				days_since_service_user_edit: 50,
				agreed: false,
				review: 'not_set',
				crisis_plan: true,
				flags: ['not_agreed']
			},
			eli: {
				...base('eli'),
				service_user_share_percent: null,
				goals: 0,
				own_words_goals: 0,
				non_empty_sections: 0,
				co_produced_sections: 0,
				solo_sessions_30_days: 0,
				solo_sessions_90_days: 0,
				days_since_service_user_edit: null,
				agreed: false,
				review: 'not_set',
				crisis_plan: false,
				flags: ['no_recent_edit', 'not_agreed', 'no_crisis_plan']
			},
			finn: {
				...base('finn'),
				service_user_share_percent: 100,
				goals: 0,
				own_words_goals: 0,
				non_empty_sections: 2,
				co_produced_sections: 0,
				solo_sessions_30_days: 1,
				solo_sessions_90_days: 2,
				days_since_service_user_edit: 20,
				agreed: true,
				review: 'ok',
				crisis_plan: true,
				flags: []
			},
			gale: {
				...base('gale'),
				service_user_share_percent: 50,
				goals: 0,
				own_words_goals: 0,
				non_empty_sections: 2,
				co_produced_sections: 0,
				solo_sessions_30_days: 1,
				solo_sessions_90_days: 1,
				days_since_service_user_edit: 3,
				agreed: false,
				review: 'ok',
				crisis_plan: false,
				flags: ['not_agreed', 'no_crisis_plan']
			}
		};
		for (const key of PLANS)
			expect(
				exported.plans.find((row) => row.plan_id === planIds[key]),
				key
			).toEqual(expected[key]);
		// The emoji in Finn's crisis plan counts as two characters, as the editor counts them.
		expect('Ring Mo 🌱 '.length).toBe(11);
	});

	it('gives the same rows as CSV, column for column, with a formula-like title made inert', async () => {
		const response = await get('sue', `/api/audit/involvement?team=${teamId}&format=csv`);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="involvement-\d{4}-\d{2}-\d{2}\.csv"$/);
		expect(response.headers.get('cache-control')).toBe('no-store');
		const text = await response.text();
		expect(text).toMatch(/\r\n$/);
		const [header, ...records] = parseCsv(text);
		expect(header).toEqual(INVOLVEMENT_EXPORT_COLUMNS);

		const { plans } = await exportJson();
		expect(records.map((record) => record[0])).toEqual(plans.map((row) => row.plan_id));
		for (const [index, row] of plans.entries()) {
			expect(records[index], row.plan_title).toEqual(INVOLVEMENT_EXPORT_COLUMNS.map((column) => csvText(row[column])));
		}
		const eli = records.find((record) => record[0] === planIds.eli)!;
		expect(eli[1]).toBe(`'${FORMULA_TITLE}`);
		expect(eli[3]).toBe('');
		expect(eli.at(-1)).toBe('no_recent_edit;not_agreed;no_crisis_plan');
		// On the wire: quoted (it holds a comma and quotes), quotes doubled, the leading '=' behind an apostrophe.
		expect(text).toContain(`,"'=HYPERLINK(""http://example.test"",""Eli, click"")",`);
		expect(text.split('\r\n').some((line) => line.startsWith(`${planIds.alba},`) && line.includes(',30,2,1,4,2,2,3,10,true,'))).toBe(true);
	});

	it('shows the team’s plans on the dashboard, with a summary, the distribution of shares, the domains and the trend', async () => {
		const html = await (await get('sue', '/audit')).text();
		const people = [...html.matchAll(/data-testid="involvement-row" data-person="([^"]+)"/g)].map((match) => match[1]);
		expect(people.toSorted()).toEqual(PLANS.map((key) => NAMES[key]).toSorted());
		expect(html).toMatch(/data-testid="audit-summary">\s*7 plans · <strong>5 need attention<\/strong>/);

		const { data } = await pageData('sue', `/audit?team=${teamId}`);
		const involvement = data!.involvement as {
			plans: { planId: string; sections: Record<string, { total: number; serviceUser: number; professional: number }> }[];
			summary: {
				plans: number;
				needingAttention: number;
				shareDistribution: number[];
				plansWithoutWords: number;
				trend: { month: string; share: number | null; soloSessions: number }[];
				domains: { domain: string; share: number | null; coProduced: number; written: number }[];
			};
		};
		const { summary } = involvement;
		expect(summary).toMatchObject({ plans: 7, needingAttention: 5, plansWithoutWords: 1 });
		// Shares 10 (Bram), 30 and 33.3 (Alba, Dara), 40 (Cleo), 50 (Gale), 100 (Finn).
		expect(summary.shareDistribution).toEqual([0, 1, 0, 2, 1, 1, 0, 0, 0, 1]);
		const domain = (id: string) => summary.domains.find((candidate) => candidate.domain === id)!;
		expect(domain('hope')).toEqual({ domain: 'hope', share: expect.any(Number), coProduced: 2, written: 4 });
		expect(domain('hope').share).toBeCloseTo((50 / 250 + 0 / 850 + 40 / 190 + 50 / 50) / 4, 10);
		expect(domain('connectedness')).toEqual({ domain: 'connectedness', share: 0, coProduced: 0, written: 1 });
		expect(domain('identity')).toEqual({ domain: 'identity', share: null, coProduced: 0, written: 0 });
		const alba = involvement.plans.find((row) => row.planId === planIds.alba)!;
		expect(alba.sections).toMatchObject({
			about: { total: 181, serviceUser: 181, professional: 0 },
			hope: { total: 250, serviceUser: 50, professional: 200 },
			connectedness: { total: 379, serviceUser: 0, professional: 379 },
			crisis: { total: 150, serviceUser: 50, professional: 100 },
			goals: { total: 40, serviceUser: 19, professional: 21 }
		});

		// The trend: 12 months; every solo session of the last year counted once (Alba 3, Bram 1, Dara 2, Finn 2,
		// Gale 1); 150 days ago only Cleo's and Dara's plans had words, as they were then.
		expect(summary.trend).toHaveLength(12);
		expect(summary.trend.reduce((sum, month) => sum + month.soloSessions, 0)).toBe(9);
		const monthOf = (daysAgo: number) => `${new Date(seededAt - daysAgo * DAY - 2 * HOUR).toISOString().slice(0, 7)}-01`;
		const then = summary.trend.find((month) => month.month === monthOf(150))!;
		expect(then.share).toBeCloseTo((40 / 100 + 60 / 260) / 2, 10);
		const current = summary.trend.at(-1)!;
		expect(current.share).toBeCloseTo((0.3 + 0.1 + 0.4 + 100 / 300 + 1 + 0.5) / 6, 10);
		for (const month of summary.trend.filter((candidate) => candidate.month < monthOf(210))) expect(month.share, month.month).toBeNull();
	});

	it('carries a quiet plan’s figures through the months since it was last measured, up to this month', async () => {
		const { data } = await pageData('otto', `/audit?team=${otherTeamIds[0]}`);
		const { plans, summary } = data!.involvement as {
			plans: { planId: string; serviceUserShare: number }[];
			summary: { trend: { month: string; share: number | null; soloSessions: number }[] };
		};
		expect(plans.map((row) => [row.planId, row.serviceUserShare])).toEqual([[quietPlanId, 0.3]]);
		// Ray's 70 characters, then Quinn's 30 an hour later (a month may have begun in between, however unlikely).
		const monthOf = (at: number) => `${new Date(at).toISOString().slice(0, 7)}-01`;
		const shareAt = (month: string) => (month < monthOf(quietVisits.ray) ? null : month < monthOf(quietVisits.quinn) ? 0 : 0.3);
		expect(summary.trend.map((month) => [month.month, month.share, month.soloSessions])).toEqual(
			summary.trend.map((month) => [month.month, shareAt(month.month), month.month === monthOf(quietVisits.quinn) ? 1 : 0])
		);
	});

	it('shows one plan’s measures by section and domain, with the history behind them, to its supervisor', async () => {
		const { data } = await pageData('sue', `/audit/plans/${planIds.alba}`);
		const row = data!.row as { serviceUserShare: number; flags: string[]; soloSessions30: number };
		expect(row.serviceUserShare).toBe(0.3);
		expect(row.flags).toEqual([]);
		expect(data!.domains).toEqual([
			{ domain: 'connectedness', total: 399, serviceUser: 9, goals: 1, ownWordsGoals: 0 },
			{ domain: 'hope', total: 270, serviceUser: 60, goals: 1, ownWordsGoals: 1 },
			{ domain: 'identity', total: 0, serviceUser: 0, goals: 0, ownWordsGoals: 0 },
			{ domain: 'meaning', total: 0, serviceUser: 0, goals: 0, ownWordsGoals: 0 },
			{ domain: 'empowerment', total: 0, serviceUser: 0, goals: 0, ownWordsGoals: 0 }
		]);
		const timeline = data!.timeline as { sessions: { userId: string; context: string }[] };
		expect(timeline.sessions.map((session) => [session.userId, session.context])).toEqual([
			[accounts.alba.id, 'solo'],
			[accounts.alba.id, 'solo'],
			[accounts.pat.id, 'solo'],
			[accounts.alba.id, 'solo'],
			[accounts.pat.id, 'joint']
		]);
		const html = await (await get('sue', `/audit/plans/${planIds.bram}`)).text();
		for (const flag of ['Person wrote under 20 %', 'No edit by the person in 90 days', 'Not agreed', 'Review overdue', 'No crisis plan'])
			expect(html).toContain(flag);
		expect(html).toMatch(/data-testid="measure-share"[^>]*>10%</);
	});

	it('keeps the figures from other teams’ supervisors (404, as for no team), professionals (403) and strangers (401)', async () => {
		const json = async (person: Person | null, query: string) => {
			const response = await get(person, `/api/audit/involvement${query}`);
			expect(response.headers.get('content-type'), query).toMatch(/application\/json/);
			return { status: response.status, body: (await response.json()) as { error?: string } };
		};
		for (const format of ['json', 'csv']) {
			expect(await json('otto', `?team=${teamId}&format=${format}`)).toEqual({
				status: 404,
				body: { code: 'team-not-overseen', error: expect.stringMatching(/among the teams you oversee/) }
			});
			expect((await json('otto', `?team=${crypto.randomUUID()}&format=${format}`)).status).toBe(404);
			expect((await json('pat', `?team=${teamId}&format=${format}`)).status).toBe(403);
			expect((await json('alba', `?team=${teamId}&format=${format}`)).status).toBe(403);
			expect(await json(null, `?team=${teamId}&format=${format}`)).toEqual({ status: 401, body: { code: 'sign-in-required', error: 'Please sign in.' } });
		}
		expect((await json('sue', `?team=${teamId}&format=xml`)).status).toBe(400);
		expect((await json('sue', '?team=not-a-team')).status).toBe(400);
		// Otto oversees two teams: he has to say which.
		expect((await json('otto', '?format=json')).status).toBe(400);
		// Sue oversees one: it is the default.
		expect((await json('sue', '')).status).toBe(200);
		expect((await json('otto', `?team=${otherTeamIds[0]}`)).body).toMatchObject({ plans: [{ plan_id: quietPlanId, service_user: 'Quinn Hale' }] });
		expect((await json('otto', `?team=${otherTeamIds[1]}`)).body).toMatchObject({ plans: [] });

		// Otto's dashboard shows his teams and none of these plans; Sue's team is not there for him, nor its plans.
		for (const path of ['/audit', ...otherTeamIds.map((other) => `/audit?team=${other}`)]) {
			const html = await (await get('otto', path)).text();
			for (const key of PLANS) {
				expect(html, path).not.toContain(planIds[key]);
				expect(html, path).not.toContain(NAMES[key]);
			}
		}
		expect((await pageData('otto', `/audit?team=${teamId}`)).status).toBe(404);
		expect((await get('otto', `/audit?team=${teamId}`)).status).toBe(404);
		expect((await pageData('otto', `/audit/plans/${planIds.alba}`)).status).toBe(404);
		expect((await pageData('pat', `/audit/plans/${planIds.alba}`)).status).toBe(403);
		expect((await pageData('pat', '/audit')).status).toBe(403);
	});

	it('counts the plan as seen once its person opens or downloads it after agreeing', async () => {
		expect((await exportRowOf('alba')).copy_seen).toBe(false);
		expect((await pageData('alba', `/plans/${planIds.alba}`)).status).toBe(200);
		expect((await exportRowOf('alba')).copy_seen).toBe(true);

		// Cleo's look from before her agreement does not count; a download now does.
		expect((await exportRowOf('cleo')).copy_seen).toBe(false);
		const download = await get('cleo', `/plans/${planIds.cleo}/download`);
		expect(download.status).toBe(200);
		expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="care-plan-\d{4}-\d{2}-\d{2}\.txt"$/);
		expect(await download.text()).toContain(exactly(60, 'Cleo likes long walks. ') + exactly(40, ' I walk the dog. '));
		expect((await exportRowOf('cleo')).copy_seen).toBe(true);

		// Someone else opening Bram's plan is not Bram seeing it.
		expect((await pageData('pat', `/plans/${planIds.bram}`)).status).toBe(200);
		expect((await pageData('sue', `/plans/${planIds.bram}`)).status).toBe(200);
		expect((await exportRowOf('bram')).copy_seen).toBe(false);
	});
});

describe(`involvement as people write live (${testDatabaseKind})`, () => {
	// After its start-up sweep (server/involvement/tracker.ts) the server re-measures only plans whose changes it has
	// seen: these tests run in that steady state, as a server that has been up for a while does. It says when the
	// sweep is over.
	beforeAll(async () => {
		await server.waitForLine(/Involvement: start-up measurement finished/);
	});

	const GALE_LIVE = exactly(50, 'My bees make honey. ');
	const PAT_IN_APPOINTMENT = exactly(25, 'Gale will show the hives.');
	const PAT_AFTER = exactly(25, 'We meet again in a month.');
	let appointmentId = '';
	let versionSeq = 0;

	it('reflects words typed by the person at once in the export', async () => {
		const gale = await open('gale', planIds.gale);
		typeParagraph(gale.doc, 'about', GALE_LIVE);
		await gale.saves.whenSaved();

		expect(await exportRowOf('gale')).toMatchObject({
			service_user_share_percent: 66.7,
			non_empty_sections: 2,
			co_produced_sections: 1,
			solo_sessions_30_days: 2,
			solo_sessions_90_days: 2,
			days_since_service_user_edit: 0,
			flags: ['not_agreed', 'no_crisis_plan']
		});
	});

	it('lists the professional who opened the plan in “Who has seen my plan” and in the supervisor’s access log', async () => {
		expect((await pageData('gale', `/plans/${planIds.gale}`)).data!.viewers).toEqual([]);
		const page = await get('pat', `/plans/${planIds.gale}`);
		expect(page.status).toBe(200);
		await page.text();

		const { data } = await pageData('gale', `/plans/${planIds.gale}`);
		expect(data!.viewers).toEqual([
			{ id: accounts.pat.id, name: 'Pat Kaur', role: 'professional', discipline: 'social_worker', lastAt: expect.any(Date), visits: 1 }
		]);
		// Only the person whose plan it is gets the list.
		expect((await pageData('pat', `/plans/${planIds.gale}`)).data!.viewers).toBeNull();

		const drillDown = await pageData('sue', `/audit/plans/${planIds.gale}`);
		const looks = drillDown.data!.looks as { action: string; person: { id: string; name: string } | null; at: Date }[];
		// Newest first: Gale's two looks at her list, each after one of Pat's.
		expect(looks.map((look) => [look.action, look.person?.name])).toEqual([
			['plan.viewed', 'Pat Kaur'],
			['plan.viewed', 'Gale Morris'],
			['plan.viewed', 'Pat Kaur'],
			['plan.viewed', 'Gale Morris']
		]);
		// Sue looking at the figures is a look at the plan's history: Gale sees it.
		// Pat's two looks, moments apart, are one visit.
		const viewers = (await pageData('gale', `/plans/${planIds.gale}`)).data!.viewers as { name: string; visits: number }[];
		expect(viewers.map((viewer) => [viewer.name, viewer.visits])).toEqual([
			['Sue Palmer', 1],
			['Pat Kaur', 1]
		]);
	});

	it('books, starts and ends an appointment: changes while it runs are joint, and its end pins a version', async () => {
		const action = (name: string) => `/plans/${planIds.gale}?/${name}`;
		const when = new Date(Date.now() + DAY).toISOString().slice(0, 16);
		const attendees: [string, string][] = [
			['attendee', accounts.gale.id],
			['attendee', accounts.pat.id]
		];
		expect(await submit('pat', action('scheduleAppointment'), [['when', 'tomorrow'], ...attendees])).toMatchObject({ type: 'failure', status: 400 });
		expect(await submit('pat', action('scheduleAppointment'), [['when', when]])).toMatchObject({ type: 'failure', status: 400 });
		expect(
			await submit('pat', action('scheduleAppointment'), [
				['when', when],
				['attendee', accounts.ray.id]
			])
		).toMatchObject({ type: 'failure', status: 400 });
		expect(await submit('gale', action('scheduleAppointment'), [['when', when], ...attendees])).toMatchObject({ type: 'failure', status: 403 });
		expect(await submit('sue', action('scheduleAppointment'), [['when', when], ...attendees])).toMatchObject({ type: 'failure', status: 403 });
		expect(await submit('ray', action('scheduleAppointment'), [['when', when], ...attendees])).toMatchObject({ type: 'error', status: 404 });
		expect(await submit('pat', action('scheduleAppointment'), [['when', when], ['place', 'At the hub'], ...attendees])).toMatchObject({
			type: 'success',
			data: { form: 'appointment', saved: true }
		});

		const booked = (await pageData('pat', `/plans/${planIds.gale}`)).data!.appointments as {
			id: string;
			place: string;
			startedAt: Date | null;
			attendees: { name: string }[];
		}[];
		expect(booked).toHaveLength(1);
		expect(booked[0]).toMatchObject({ place: 'At the hub', startedAt: null, attendees: [{ name: 'Gale Morris' }, { name: 'Pat Kaur' }] });
		appointmentId = booked[0]!.id;

		expect(await submit('gale', action('startAppointment'), [['appointment', appointmentId]])).toMatchObject({ type: 'failure', status: 403 });
		expect(await submit('pat', action('startAppointment'), [['appointment', crypto.randomUUID()]])).toMatchObject({ type: 'failure', status: 404 });
		expect(await submit('pat', action('startAppointment'), [['appointment', appointmentId]])).toMatchObject({ type: 'success', data: { saved: true } });
		expect(await submit('pat', action('startAppointment'), [['appointment', appointmentId]])).toMatchObject({ type: 'failure', status: 409 });

		// Pat types alone (Gale is not in the plan): joint all the same, as the appointment runs.
		const pat = await open('pat', planIds.gale);
		typeParagraph(pat.doc, 'hope', PAT_IN_APPOINTMENT);
		await pat.saves.whenSaved();

		const ended = await submit('pat', action('endAppointment'), [['appointment', appointmentId]]);
		expect(ended).toMatchObject({
			type: 'success',
			data: { saved: true, message: expect.stringMatching(/^The appointment has ended\. The plan is saved as “After our appointment on /) }
		});
		expect(await submit('pat', action('endAppointment'), [['appointment', appointmentId]])).toMatchObject({ type: 'failure', status: 409 });

		typeParagraph(pat.doc, 'hope', PAT_AFTER);
		await pat.saves.whenSaved();

		const { data } = await pageData('gale', `/plans/${planIds.gale}`);
		const lastAppointment = data!.lastAppointment as { seq: number; endedAt: Date };
		versionSeq = lastAppointment.seq;
		expect(versionSeq).toBe(scriptedSeq.gale + paragraphChanges(GALE_LIVE) + paragraphChanges(PAT_IN_APPOINTMENT));
		expect((data!.appointments as { id: string; versionSeq: number | null; endedAt: Date | null }[])[0]).toMatchObject({
			id: appointmentId,
			versionSeq,
			endedAt: expect.any(Date)
		});

		// Pat's words count as a professional's: Gale has 100 of 200 characters; hope is now written together.
		expect(await exportRowOf('gale')).toMatchObject({
			service_user_share_percent: 50,
			co_produced_sections: 2,
			solo_sessions_30_days: 2,
			days_since_service_user_edit: 0
		});
	});

	it('shows an agreement, and a change of mind, at once; a look before agreeing is no look at what was agreed', async () => {
		const versions = `/plans/${planIds.gale}/versions`;
		expect(await submit('pat', `${versions}?/agree`, [['name', 'Agreed with Gale']])).toMatchObject({ type: 'success' });
		// Pat's agreement is not Gale's.
		expect(await exportRowOf('gale')).toMatchObject({ agreed: false, flags: ['not_agreed', 'no_crisis_plan'] });

		const pinned = ((await pageData('gale', versions)).data!.versions as { id: string; name: string }[]).find(
			(version) => version.name === 'Agreed with Gale'
		)!;
		expect(
			await submit('gale', `${versions}?/signOff`, [
				['version', pinned.id],
				['decision', 'agree']
			])
		).toMatchObject({ type: 'success' });
		// Gale last opened her plan before she agreed (looking at its versions is not opening it).
		expect(await exportRowOf('gale')).toMatchObject({ agreed: true, copy_seen: false, flags: ['no_crisis_plan'] });
		expect((await pageData('gale', `/plans/${planIds.gale}`)).status).toBe(200);
		expect(await exportRowOf('gale')).toMatchObject({ agreed: true, copy_seen: true });

		const reason: [string, string] = ['reason', 'The bees are not the point.'];
		expect(await submit('gale', `${versions}?/signOff`, [['version', pinned.id], ['decision', 'disagree'], reason])).toMatchObject({ type: 'success' });
		expect(await exportRowOf('gale')).toMatchObject({ agreed: false, flags: ['not_agreed', 'no_crisis_plan'] });
	});

	it('stored every change with the right context, the appointment’s version and the audit trail', async () => {
		const stored = await inDatabase(async (db) => ({
			updates: await db
				.select({ seq: planUpdate.seq, userId: planUpdate.userId, context: planUpdate.context })
				.from(planUpdate)
				.where(and(eq(planUpdate.planId, planIds.gale), gt(planUpdate.seq, scriptedSeq.gale)))
				.orderBy(asc(planUpdate.seq)),
			versions: await db.select().from(planVersion).where(eq(planVersion.planId, planIds.gale)),
			appointments: await db.select().from(appointment).where(eq(appointment.planId, planIds.gale)),
			audits: await db
				.select({ action: auditEvent.action, actorId: auditEvent.actorId, targetId: auditEvent.targetId, detail: auditEvent.detail })
				.from(auditEvent)
				.orderBy(asc(auditEvent.id))
		}));

		const runs: [string, string, number][] = [];
		for (const row of stored.updates) {
			const last = runs.at(-1);
			if (last && last[0] === row.userId && last[1] === row.context) last[2] += 1;
			else runs.push([row.userId, row.context, 1]);
		}
		expect(runs).toEqual([
			[accounts.gale.id, 'solo', paragraphChanges(GALE_LIVE)],
			[accounts.pat.id, 'joint', paragraphChanges(PAT_IN_APPOINTMENT)],
			[accounts.pat.id, 'solo', paragraphChanges(PAT_AFTER)]
		]);
		expect(stored.updates.filter((row) => row.context === 'joint').at(-1)!.seq).toBe(versionSeq);

		const appointmentVersion = stored.versions.find((version) => version.kind === 'appointment');
		expect(stored.versions.map((version) => version.kind).toSorted()).toEqual(['agreement', 'appointment']);
		// Named by the appointment where it is shown, in the reader's language: nothing of ours is stored.
		expect(appointmentVersion).toMatchObject({ seq: versionSeq, createdBy: accounts.pat.id, name: null });
		expect(stored.appointments).toEqual([
			expect.objectContaining({
				id: appointmentId,
				place: 'At the hub',
				startedBy: accounts.pat.id,
				endedBy: accounts.pat.id,
				versionId: appointmentVersion!.id,
				startedAt: expect.any(Date),
				endedAt: expect.any(Date)
			})
		]);

		const galeEvents = stored.audits.filter((event) => event.targetId === planIds.gale && event.action.startsWith('appointment.'));
		expect(galeEvents).toEqual([
			{ action: 'appointment.scheduled', actorId: accounts.pat.id, targetId: planIds.gale, detail: { appointmentId } },
			{ action: 'appointment.started', actorId: accounts.pat.id, targetId: planIds.gale, detail: { appointmentId } },
			{ action: 'appointment.ended', actorId: accounts.pat.id, targetId: planIds.gale, detail: { appointmentId, versionId: appointmentVersion!.id } }
		]);
		// Each export of the team is recorded, by Sue; the refused ones (Otto, Pat, Alba, nobody) are not exports.
		const exports = stored.audits.filter((event) => event.action === 'involvement.exported' && event.targetId === teamId);
		expect(exports.length).toBeGreaterThan(0);
		for (const event of exports) {
			expect(event.actorId).toBe(accounts.sue.id);
			expect(event.detail).toEqual({ format: expect.stringMatching(/^(json|csv)$/), plans: PLANS.length });
		}
		expect(exports.some((event) => event.detail?.format === 'csv')).toBe(true);
		const ottosExports = stored.audits.filter((event) => event.action === 'involvement.exported' && event.actorId === accounts.otto.id);
		expect(ottosExports.map((event) => event.targetId).toSorted()).toEqual(otherTeamIds.toSorted());
	});
});
