import type { PastPlanLook } from '../db/access-log.ts';
import type { ScriptedPlan, ScriptedVisit } from './scripted-history.ts';

const DAY = 24 * 3600_000;

/**
 * A year of history for two demo plans, so the history pages and the involvement audit have something to show:
 * Casey's plan written together (Casey adds to it between appointments; agreed), Morgan's mostly written about
 * Morgan by the nurse (Morgan has not touched it for months; not agreed; no crisis plan).
 */
export function demoHistories(planId: string, people: Map<string, string>, now: number): Record<string, ScriptedPlan> {
	const id = (username: string) => people.get(username)!;
	const daysAgo = (days: number, hour = 14) => new Date(now - days * DAY + (hour - 14) * 3600_000);
	const casey: ScriptedVisit[] = [
		{
			at: daysAgo(320),
			by: id('tom'),
			context: 'joint',
			appointment: { endedBy: id('tom') },
			writes: [{ section: 'about', text: 'Casey enjoys cooking for friends and is good with people. ' }]
		},
		{
			at: daysAgo(320, 15),
			by: id('casey'),
			context: 'joint',
			writes: [{ section: 'about', text: 'I am a good listener and I love cooking Caribbean food for my family. ' }]
		},
		{
			at: daysAgo(300, 22),
			by: id('casey'),
			context: 'solo',
			writes: [{ section: 'hope', text: 'I am looking forward to my niece’s birthday and to cooking for it. ' }]
		},
		{ at: daysAgo(240), by: id('alex'), context: 'solo', writes: [{ section: 'connectedness', text: 'Peer cooking group on Thursdays at the hub. ' }] },
		{
			at: daysAgo(200, 23),
			by: id('casey'),
			context: 'solo',
			writes: [{ section: 'connectedness', text: 'My sister Ama, my friend Joe, and the Thursday cooking group. ' }]
		},
		{
			at: daysAgo(150),
			by: id('casey'),
			context: 'joint',
			appointment: { endedBy: id('tom') },
			writes: [
				{ section: 'crisis', text: 'Early signs: I stop eating and stay in bed. What helps: a call from Ama, a walk by the river. ' },
				{ goal: 'casey-goal-1', domain: 'meaning', text: 'Volunteer at the community kitchen one morning a week' }
			]
		},
		{
			at: daysAgo(150, 15),
			by: id('tom'),
			context: 'joint',
			writes: [{ section: 'crisis', text: 'Crisis line: call the team on 0100 000 000, or 111 out of hours. ' }]
		},
		{
			at: daysAgo(60, 21),
			by: id('casey'),
			context: 'solo',
			writes: [{ section: 'empowerment', text: 'I want to decide myself when to reduce my medication, with my doctor. ' }]
		},
		{
			at: daysAgo(20, 20),
			by: id('casey'),
			context: 'solo',
			writes: [{ goal: 'casey-goal-2', domain: 'hope', text: 'Cook a meal for ten people at my niece’s party' }]
		},
		{ at: daysAgo(6, 22), by: id('casey'), context: 'solo', writes: [{ section: 'identity', text: 'I am a cook, a sister and an auntie, not a diagnosis. ' }] }
	];
	const morgan: ScriptedVisit[] = [
		{
			at: daysAgo(300),
			by: id('tom'),
			context: 'solo',
			writes: [{ section: 'about', text: 'Morgan has a long history of low mood and struggles to engage with services. ' }]
		},
		{
			at: daysAgo(280),
			by: id('tom'),
			context: 'solo',
			writes: [{ section: 'barriers', text: 'Poor engagement. Missed two appointments. Medication adherence is variable. ' }]
		},
		{ at: daysAgo(150), by: id('morgan'), context: 'joint', writes: [{ section: 'hope', text: 'Getting a dog. ' }] },
		{
			at: daysAgo(150, 15),
			by: id('tom'),
			context: 'joint',
			writes: [{ section: 'empowerment', text: 'To attend all appointments and take medication as prescribed. ' }]
		},
		{
			at: daysAgo(40),
			by: id('tom'),
			context: 'solo',
			writes: [{ goal: 'morgan-goal-1', domain: 'empowerment', text: 'Attend fortnightly reviews with the nurse' }]
		}
	];
	return {
		casey: {
			planId,
			visits: casey,
			versions: [
				{
					afterVisit: casey.length - 1,
					name: 'Our plan for the winter',
					kind: 'agreement',
					createdBy: id('tom'),
					signOffs: [
						{ userId: id('tom'), decision: 'agree', at: daysAgo(5) },
						{ userId: id('casey'), decision: 'agree', at: daysAgo(5, 18) }
					]
				}
			]
		},
		morgan: { planId, visits: morgan }
	};
}

/**
 * The looks at a plan its scripted history implies, oldest first: whoever wrote in a visit opened the plan a few
 * minutes before, the professional who ran an appointment opened it for the appointment, and whoever answered a
 * version opened the versions page to do it.
 */
export function looksOf(script: ScriptedPlan): PastPlanLook[] {
	const before = (at: Date, minutes: number) => new Date(at.getTime() - minutes * 60_000);
	const looks: PastPlanLook[] = [];
	for (const visit of script.visits) {
		looks.push({ userId: visit.by, at: before(visit.at, 2), action: 'plan.viewed' });
		if (visit.appointment && visit.appointment.endedBy !== visit.by)
			looks.push({ userId: visit.appointment.endedBy, at: before(visit.at, 3), action: 'plan.viewed' });
	}
	for (const version of script.versions ?? []) {
		for (const signOff of version.signOffs) {
			looks.push({ userId: signOff.userId, at: before(signOff.at, 1), action: 'history.viewed', detail: { view: 'versions' } });
		}
	}
	return looks.sort((a, b) => a.at.getTime() - b.at.getTime());
}
