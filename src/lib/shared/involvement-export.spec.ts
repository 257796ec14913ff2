import { describe, expect, it } from 'vitest';
import { INVOLVEMENT_EXPORT_COLUMNS, involvementColumnLabels, involvementCsv, type InvolvementExportRow } from './involvement-export.ts';

const ROW: InvolvementExportRow = {
	plan_id: '0b7d5f0e-6c1a-4d2b-9f3e-2a1b3c4d5e6f',
	plan_title: 'Sam’s plan',
	service_user: 'Sam Taylor',
	service_user_share_percent: 62.5,
	goals: 3,
	own_words_goals: 2,
	non_empty_sections: 5,
	co_produced_sections: 4,
	solo_sessions_30_days: 1,
	solo_sessions_90_days: 6,
	days_since_service_user_edit: 0,
	agreed: true,
	review_date: '2027-03-01',
	review: 'ok',
	crisis_plan: true,
	copy_seen: false,
	flags: ['low_share', 'not_agreed']
};

/** Everything after the title in ROW's data line, without flags. */
const AFTER_TITLE = ',Sam Taylor,62.5,3,2,5,4,1,6,0,true,2027-03-01,ok,true,false,\r\n';

/** The CSV text of one plan title, cut from its data line. */
function titleCell(title: string): string {
	const csv = involvementCsv([{ ...ROW, plan_title: title, flags: [] }]);
	const line = csv.slice(csv.indexOf('\r\n') + 2);
	expect(line.startsWith(`${ROW.plan_id},`) && line.endsWith(AFTER_TITLE)).toBe(true);
	return line.slice(ROW.plan_id.length + 1, -AFTER_TITLE.length);
}

describe('involvementCsv', () => {
	it('writes a header row and one CRLF-ended row per plan, numbers and booleans as they are', () => {
		expect(involvementCsv([ROW])).toBe(
			`${INVOLVEMENT_EXPORT_COLUMNS.join(',')}\r\n` +
				`${ROW.plan_id},Sam’s plan,Sam Taylor,62.5,3,2,5,4,1,6,0,true,2027-03-01,ok,true,false,"low_share;not_agreed"\r\n`
		);
		expect(involvementCsv([{ ...ROW, service_user_share_percent: null, days_since_service_user_edit: null, review_date: null, flags: [] }])).toContain(
			',Sam Taylor,,3,2,5,4,1,6,,true,,ok,true,false,\r\n'
		);
	});

	it.each([
		['plain words', 'Sam’s plan', 'Sam’s plan'],
		['a formula', '=1+2', "'=1+2"],
		['each formula start', '+1 -1 @SUM', "'+1 -1 @SUM"],
		['a minus sign', '-5', "'-5"],
		['a formula after a semicolon', 'Q;=1+2', `"Q;'=1+2"`],
		['a formula after a comma and spaces', 'Q,  +1', `"Q,  '+1"`],
		['a formula after a tab', 'Q\t@A1', `"Q\t'@A1"`],
		['a formula on a new line', 'Q\r\n-1', `"Q\r\n'-1"`],
		['a formula behind a quote', 'Q;"=1"', `"Q;""'=1"""`],
		['a formula behind a non-breaking space', 'Q;\u00a0=1', `"Q;\u00a0'=1"`],
		['a leading tab, which some spreadsheets drop', '\t=1', `"'\t'=1"`],
		['a leading carriage return', '\r=1', `"'\r'=1"`],
		['a formula right after a tab after a separator', 'Q,\t=1', `"Q,'\t'=1"`],
		['the earlier title with quotes and a comma', '=HYPERLINK("http://example.test","Eli, click")', `"'=HYPERLINK(""http://example.test"",""Eli, click"")"`],
		['a separator with no formula behind it', 'Mo; Sam', '"Mo; Sam"'],
		['a formula start inside a word', 'e-mail me@home', 'e-mail me@home'],
		['an apostrophe already there', "'=1", "'=1"]
	])('%s: %j is written %j', (_what, title, cell) => {
		expect(titleCell(title)).toBe(cell);
	});
});

describe('involvementCsv with column names for people', () => {
	const machineFirst = involvementCsv([ROW]);

	it('puts one row of column names in the chosen language above the unchanged machine names', () => {
		for (const locale of ['en', 'de'] as const) {
			const csv = involvementCsv([ROW], { labelsIn: locale });
			const [labels, ...rest] = csv.split('\r\n');
			expect(rest.join('\r\n')).toBe(machineFirst);
			expect(labels).toBe(involvementColumnLabels(locale).join(','));
		}
		expect(involvementCsv([ROW], { labelsIn: 'de' }).split('\r\n')[0]).toMatch(/^Plan-ID,Titel des Plans,Person,Anteil der Person \(%\),Ziele,/);
		expect(involvementCsv([ROW], { labelsIn: 'en' }).split('\r\n')[0]).toMatch(/^Plan ID,Plan title,Person,Person’s share \(%\),Goals,/);
	});

	it('names every column once, in each language, in words that need no quoting', () => {
		for (const locale of ['en', 'de'] as const) {
			const labels = involvementColumnLabels(locale);
			expect(labels).toHaveLength(INVOLVEMENT_EXPORT_COLUMNS.length);
			expect(new Set(labels).size).toBe(labels.length);
			for (const label of labels) expect(label).toMatch(/^[^",;\t\r\n=+\-@]/);
		}
		expect(involvementColumnLabels('de')).not.toEqual(involvementColumnLabels('en'));
	});

	it('keeps to the machine names alone when no language is asked for', () => {
		expect(involvementCsv([ROW], {})).toBe(machineFirst);
		expect(machineFirst.startsWith(`${INVOLVEMENT_EXPORT_COLUMNS.join(',')}\r\n`)).toBe(true);
	});
});

/** A small deterministic generator (mulberry32), so a failure can be replayed from its seed. */
function randomSource(seed: number): () => number {
	let state = seed;
	return () => {
		state = (state + 0x6d2b79f5) | 0;
		let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
		mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
		return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
	};
}

const NASTY = [',', ';', '\t', '\r', '\n', '\r\n', '"', "'", ' ', '\u00a0', '=', '+', '-', '@', 'a', '1', 'SUM(A1)'];
const SEPARATORS = [',', ';', '\t', '\r', '\n'];

describe('involvementCsv, whatever the text', () => {
	it('leaves no field that starts a formula, however the lines are split', () => {
		const unsafe: string[] = [];
		for (let seed = 1; seed <= 2000; seed++) {
			const random = randomSource(seed);
			const text = () => Array.from({ length: 1 + Math.floor(random() * 12) }, () => NASTY[Math.floor(random() * NASTY.length)]).join('');
			const csv = involvementCsv([{ ...ROW, plan_title: text(), service_user: text(), flags: [] }]);
			// The data line without the header and the final CRLF, which end records rather than start a field.
			const line = csv.slice(csv.indexOf('\r\n') + 2, -2);
			for (const separator of SEPARATORS) {
				for (const field of line.split(separator)) {
					const unquoted = field.replace(/^(?:[^\S\t\r\n]|")*/, '');
					const trimmed = field.replace(/^[\s"]*/, '');
					if (/^[=+\-@\t\r]/.test(unquoted) || /^[=+\-@]/.test(trimmed)) unsafe.push(`seed ${seed}: ${JSON.stringify(field)} in ${JSON.stringify(line)}`);
				}
			}
		}
		expect(unsafe.slice(0, 5)).toEqual([]);
	});
});
