import { recordPastPlanLooks } from '../db/access-log.ts';
import { createAccount, findAccountByUsername, type NewAccount } from '../db/accounts.ts';
import { hashPassword } from '../db/password.ts';
import { addCareTeamMember, createPlan } from '../db/plans.ts';
import { addTeamMember, createTeam, findTeamByName } from '../db/teams.ts';
import { setCrisisContact } from '../db/crisis-contacts.ts';
import type { Database } from '../db/types.ts';
import { demoHistories, looksOf } from './demo-histories.ts';
import { writeScriptedHistory } from './scripted-history.ts';

/** Everyone in the demo shares this password; it is printed at start so people can try each role. */
export const DEMO_PASSWORD = 'chorus-demo';

type DemoPerson = Omit<NewAccount, 'passwordHash'> & { team: string; about: string };

const RIVERSIDE = 'Riverside Community Mental Health Team';
const NORTHGATE = 'Northgate Recovery College';

export const DEMO_PEOPLE: DemoPerson[] = [
	{ username: 'sam', displayName: 'Sam Taylor', role: 'service_user', discipline: null, team: RIVERSIDE, about: 'a person using services, with a plan' },
	{ username: 'jordan', displayName: 'Jordan Lee', role: 'service_user', discipline: null, team: RIVERSIDE, about: 'a person using services, with a plan' },
	{
		username: 'priya',
		displayName: 'Priya Shah',
		role: 'professional',
		discipline: 'social_worker',
		team: RIVERSIDE,
		about: 'social worker on Sam’s and Jordan’s care teams'
	},
	{ username: 'tom', displayName: 'Tom Becker', role: 'professional', discipline: 'nurse', team: RIVERSIDE, about: 'nurse on Sam’s care team' },
	{
		username: 'alex',
		displayName: 'Alex Morgan',
		role: 'professional',
		discipline: 'peer_worker',
		team: RIVERSIDE,
		about: 'peer support worker on Sam’s care team'
	},
	{
		username: 'maria',
		displayName: 'Maria Okafor',
		role: 'supervisor',
		discipline: null,
		team: RIVERSIDE,
		about: 'supervisor of the Riverside team (reads, never edits)'
	},
	{
		username: 'casey',
		displayName: 'Casey Brown',
		role: 'service_user',
		discipline: null,
		team: RIVERSIDE,
		about: 'a person using services, with a year of plan history written together'
	},
	{
		username: 'morgan',
		displayName: 'Morgan Reid',
		role: 'service_user',
		discipline: null,
		team: RIVERSIDE,
		about: 'a person using services, whose plan was mostly written about them'
	},
	{ username: 'lee', displayName: 'Lee Novak', role: 'service_user', discipline: null, team: NORTHGATE, about: 'a person using services in another team' },
	{
		username: 'noah',
		displayName: 'Noah Williams',
		role: 'professional',
		discipline: 'psychologist',
		team: NORTHGATE,
		about: 'psychologist in another team (cannot see Riverside plans)'
	},
	{
		username: 'robin',
		displayName: 'Robin Clarke',
		role: 'admin',
		discipline: null,
		team: RIVERSIDE,
		about: 'administrator (people and teams, no plan content)'
	}
];

const DEMO_PLANS = [
	{ for: 'sam', team: RIVERSIDE, title: 'Sam’s recovery plan', careTeam: ['priya', 'tom', 'alex'], reviewInDays: 60 },
	{ for: 'jordan', team: RIVERSIDE, title: 'Jordan’s recovery plan', careTeam: ['priya'], reviewInDays: -10 },
	{ for: 'lee', team: NORTHGATE, title: 'Lee’s recovery plan', careTeam: ['noah'], reviewInDays: 90 },
	{ for: 'casey', team: RIVERSIDE, title: 'Casey’s recovery plan', careTeam: ['tom', 'alex'], reviewInDays: 40 },
	{ for: 'morgan', team: RIVERSIDE, title: 'Morgan’s recovery plan', careTeam: ['tom'], reviewInDays: -30 }
];

/**
 * Creates the demo teams, people and plans. Safe to run again: an existing demo is left as it is.
 * @returns false when the demo data was already there.
 */
export async function seedDemo(db: Database): Promise<boolean> {
	if (await findAccountByUsername(db, 'robin')) return false;
	const teamIds = new Map<string, string>();
	for (const name of [RIVERSIDE, NORTHGATE]) {
		const created = await createTeam(db, name);
		const existing = created.ok ? created.value : await findTeamByName(db, name);
		teamIds.set(name, existing!.id);
	}
	// 01632 960xxx is set aside for drama: it rings nobody.
	await setCrisisContact(
		db,
		teamIds.get(RIVERSIDE)!,
		{ name: 'the Riverside crisis line', phone: '01632 960 123', hours: 'Evenings from 5 pm, nights and weekends', note: 'In an emergency, call 999.' },
		null
	);
	const passwordHash = await hashPassword(DEMO_PASSWORD);
	const userIds = new Map<string, string>();
	for (const person of DEMO_PEOPLE) {
		const { team, about: _about, ...account } = person;
		const created = await createAccount(db, { ...account, passwordHash });
		if (!created.ok) throw new Error(`The username "${person.username}" is already taken by a non-demo account.`);
		userIds.set(person.username, created.value.id);
		if (person.role !== 'admin') await addTeamMember(db, teamIds.get(team)!, created.value.id);
	}
	for (const plan of DEMO_PLANS) {
		const review = new Date(Date.now() + plan.reviewInDays * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
		const created = await createPlan(db, {
			title: plan.title,
			serviceUserId: userIds.get(plan.for)!,
			teamId: teamIds.get(plan.team)!,
			reviewDate: review
		});
		if (!created.ok) throw new Error(`Could not create the demo plan for ${plan.for}: ${created.error}`);
		for (const member of plan.careTeam) {
			await addCareTeamMember(db, created.value.id, userIds.get(member)!, userIds.get('robin')!);
		}
		const history = demoHistories(created.value.id, userIds, Date.now())[plan.for];
		if (history) {
			await writeScriptedHistory(db, history);
			await recordPastPlanLooks(db, created.value.id, looksOf(history));
		}
	}
	return true;
}
