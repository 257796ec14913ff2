import { sql } from 'drizzle-orm';
import * as devalue from 'devalue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAccounts } from '../../db/accounts.ts';
import { scheduleAppointment, startAppointment } from '../../db/appointments.ts';
import { createInvitation, redeemInvitation } from '../../db/invitations.ts';
import { addNotifications, listNotifications } from '../../db/notifications.ts';
import { hashPassword } from '../../db/password.ts';
import { listAllPlans, listCareTeam } from '../../db/plans.ts';
import { listPlanVersions } from '../../db/plan-versions.ts';
import { createSession, generateSessionToken, SESSION_COOKIE } from '../../db/session.ts';
import { listTeams } from '../../db/teams.ts';
import type { Database } from '../../db/types.ts';
import { seedDemo } from '../../server/demo-seed.ts';
import { writeScriptedHistory } from '../../server/scripted-history.ts';
import { testDatabaseKind } from '../helpers/database.ts';
import { signInCookie } from '../helpers/http-session.ts';
import { upgradeAnswer } from '../helpers/raw-socket.ts';
import { readRouteTree, routePath, type RouteTree } from '../helpers/route-tree.ts';
import { readPageData, submitAction, type ActionOutcome } from '../helpers/sveltekit-requests.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

// Every page (and its __data.json), form action, endpoint and the collaboration socket, read from src/routes,
// against every kind of person. A route in the tree with no row here fails the first test: add its row below.

/** Who asks, about which plan (and that plan's team). The order of the columns of every row below. */
const COLUMNS = [
	{ name: 'anonymous', who: null, plan: 'sam' },
	{ name: 'service user, own plan', who: 'sam', plan: 'sam' },
	{ name: 'service user, another person’s plan', who: 'sam', plan: 'jordan' },
	{ name: 'professional on the care team', who: 'tom', plan: 'sam' },
	// Tom is in Jordan's team but not on Jordan's care team.
	{ name: 'professional not on the care team', who: 'tom', plan: 'jordan' },
	{ name: 'supervisor of the plan’s team', who: 'maria', plan: 'sam' },
	{ name: 'supervisor of another team', who: 'maria', plan: 'lee' },
	{ name: 'admin', who: 'robin', plan: 'sam' }
] as const;

/**
 * `ok`: allowed, with its data; `sign in`: sent to sign in; `home`: sent to `/`; `sign out first`: a page that answers
 * but only tells the asker, by their own name, to sign out (a sign-in link for someone else); a number: refused with
 * that status.
 */
type Outcome = 'ok' | 'sign in' | 'home' | 'sign out first' | 401 | 403 | 404 | 409;
type Row = [Outcome, Outcome, Outcome, Outcome, Outcome, Outcome, Outcome, Outcome];

interface SeededPlan {
	id: string;
	title: string;
	teamId: string;
	serviceUserId: string;
	/** A word only this plan contains. */
	marker: string;
	versionId: string;
	/** The change the version pins: right after the plan's word was written. */
	versionSeq: number;
	/** An appointment that is running. */
	appointmentId: string;
}

interface Person {
	id: string;
	username: string;
	displayName: string;
	role: string;
}

/** One cell's context: the person asking (null: nobody signed in), their cookie, the plan and team it is about. */
interface Subject {
	column: string;
	viewer: Person | null;
	cookie: string;
	plan: SeededPlan;
	team: { id: string; name: string };
	people: Record<string, Person>;
	teams: Record<'riverside' | 'northgate', string>;
	caseyPlanId: string;
	/** An open sign-in link for Morgan, who is none of the columns, made by the admin. */
	token: string;
	/** A session of Jordan, who is none of the columns either: a link of Jordan's was used, and Jordan has not yet acknowledged the notice. */
	jordanCookie: string;
	/** A notification of Jordan's, unread: nobody else may mark it. */
	jordanNotificationId: string;
	/** The id of that session of Jordan's. */
	jordanSessionId: string;
}

interface PageRule {
	expect: Row;
	query?: (subject: Subject) => string;
	/** What an allowed person's page data must show. */
	shows?: (data: unknown, subject: Subject) => void;
}

interface ActionRule {
	expect: Row;
	/** A form that would change something if it were let through: a refusal must leave the database as it was. */
	form: (subject: Subject) => Record<string, string> | [string, string][];
	/** What an allowed person gets back (and, where it matters, what it left alone). */
	succeeds: (outcome: ActionOutcome, subject: Subject) => void | Promise<void>;
	/** It ends sessions: run last, each cell on a session of its own. */
	endsSessions?: true;
}

interface EndpointRule {
	expect: Row;
	query?: (subject: Subject) => string;
	shows: (answer: { body: string; contentType: string }, subject: Subject) => void;
}

const NOT_FOUND = /We could not find that (plan|team)/;
/** A list with at least one item that has these fields. */
const listWith = (fields: Record<string, unknown>) => expect.arrayContaining([expect.objectContaining(fields)]);
const planOf = (subject: Subject) => ({ id: subject.plan.id, title: subject.plan.title });

// Columns: anonymous; service user, own / another's plan; professional on / off the care team; supervisor of the
// plan's team / another team; admin.
const PLAN_READERS: Row = ['sign in', 'ok', 404, 'ok', 404, 'ok', 404, 404];
const PLAN_WRITERS: Row = ['sign in', 'ok', 404, 'ok', 404, 403, 404, 404];
const CARE_TEAM_ONLY: Row = ['sign in', 403, 404, 'ok', 404, 403, 404, 404];
const SUPERVISORS_ONLY: Row = ['sign in', 403, 403, 403, 403, 'ok', 404, 403];
const ADMINS_ONLY: Row = ['sign in', 403, 403, 403, 403, 403, 403, 'ok'];
const SIGNED_IN: Row = ['sign in', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok'];
const EVERYONE: Row = ['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok'];
const PLAN_API: Row = [401, 'ok', 404, 'ok', 404, 'ok', 404, 404];
// Morgan's sign-in link: nobody signed in to another account may use it, not even the admin who made it (Morgan is no
// column, so a person signed in opening their own link is not a cell).
const SOMEONE_ELSES_LINK: Row = [
	'ok',
	'sign out first',
	'sign out first',
	'sign out first',
	'sign out first',
	'sign out first',
	'sign out first',
	'sign out first'
];
/** The second step's own pages: everyone in the matrix is through it (REQUIRE_MFA_FOR=none), or not signed in. */
const SECOND_STEP_DONE: Row = ['sign in', 'home', 'home', 'home', 'home', 'home', 'home', 'home'];
const SOMEONE_ELSES_LINK_FORM: Row = ['ok', 409, 409, 409, 409, 409, 409, 409];

const succeedsWith = (message: RegExp) => (outcome: ActionOutcome) => {
	expect(outcome.type, outcome.body).toBe('success');
	expect(outcome.data?.message).toMatch(message);
};
const refusesFormWith = (status: number, message: RegExp) => (outcome: ActionOutcome) => {
	expect(outcome, outcome.body).toMatchObject({ type: 'failure', status });
	expect(outcome.data?.message).toMatch(message);
};

/** Sam's care team as the demo seed made it: by the admin, with Tom on it. */
const seededCareTeamChange = (subject: Subject) =>
	listWith({ change: 'added', by: expect.objectContaining({ id: subject.people.robin!.id }), member: expect.objectContaining({ id: subject.people.tom!.id }) });

/** Morgan's link, read by someone signed in to no account. */
const readMorgansLink = async (subject: Subject) => (await readPageData(server.url, '', `/invite/${subject.token}`)).data;

const PAGES: Record<string, PageRule> = {
	'/': { expect: SIGNED_IN, shows: (data, subject) => expect(data).toMatchObject({ home: subject.viewer!.role }) },
	'/account': { expect: SIGNED_IN, shows: (data) => expect(data).toMatchObject({ sessions: listWith({ current: true }), links: expect.any(Array) }) },
	'/account/security': { expect: SIGNED_IN, shows: (data) => expect(data).toMatchObject({ factors: [], enrolling: false }) },
	// Opening it starts setting up an app for the person asking, and shows only their own key.
	'/account/security/authenticator': {
		expect: SIGNED_IN,
		shows: (data) => expect(data).toMatchObject({ key: expect.stringMatching(/^[A-Z2-7 ]+$/), enrolling: false })
	},
	'/admin': { expect: ADMINS_ONLY, shows: (data) => expect(data).toMatchObject({ accounts: listWith({ username: 'sam' }) }) },
	'/admin/plans': { expect: ADMINS_ONLY, shows: (data, subject) => expect(data).toMatchObject({ plans: listWith(planOf(subject)) }) },
	'/admin/teams': { expect: ADMINS_ONLY, shows: (data, subject) => expect(data).toMatchObject({ teams: listWith(subject.team) }) },
	'/audit': {
		expect: SUPERVISORS_ONLY,
		query: (subject) => `?team=${subject.team.id}`,
		shows: (data, subject) => expect(data).toMatchObject({ involvement: { team: { id: subject.team.id } } })
	},
	'/audit/plans/[id=uuid]': {
		expect: SUPERVISORS_ONLY,
		shows: (data, subject) => expect(data).toMatchObject({ plan: planOf(subject), careTeamChanges: seededCareTeamChange(subject) })
	},
	'/invite/[token]': {
		expect: SOMEONE_ELSES_LINK,
		shows: (data, subject) =>
			expect(data).toMatchObject({
				signedInAs: null,
				person: { displayName: 'Morgan Reid', username: 'morgan' },
				purpose: 'reset',
				createdBy: { id: subject.people.robin!.id }
			})
	},
	'/account/security/passkey': { expect: SIGNED_IN, shows: (data) => expect(data).toMatchObject({ enrolling: false }) },
	'/language': { expect: ['sign in', 'home', 'home', 'home', 'home', 'home', 'home', 'home'] },
	'/login': { expect: ['ok', 'home', 'home', 'home', 'home', 'home', 'home', 'home'] },
	'/login/confirm': { expect: SIGNED_IN, shows: (data) => expect(data).toMatchObject({ hasFactor: false }) },
	'/login/confirm/passkey': { expect: SIGNED_IN },
	'/login/passkey': { expect: ['ok', 'home', 'home', 'home', 'home', 'home', 'home', 'home'] },
	// Only for a session between password and second step: everyone here is through it, or not signed in.
	'/login/verify': { expect: SECOND_STEP_DONE },
	'/login/verify/passkey': { expect: SECOND_STEP_DONE },
	'/logout': { expect: SIGNED_IN },
	'/plans/[id=uuid]': {
		expect: PLAN_READERS,
		shows: (data, subject) => {
			const own = subject.viewer!.id === subject.plan.serviceUserId;
			expect(data).toMatchObject({
				plan: planOf(subject),
				access: subject.viewer!.role === 'supervisor' ? 'read' : 'edit',
				// Who changed the care team, and who has looked, are for the person whose plan it is.
				careTeamChanges: own ? seededCareTeamChange(subject) : null,
				viewers: own ? expect.any(Array) : null
			});
		}
	},
	'/plans/[id=uuid]/at/[seq=seq]': {
		expect: PLAN_READERS,
		shows: (data, subject) => expect(data).toMatchObject({ plan: planOf(subject), version: { seq: subject.plan.versionSeq } })
	},
	'/plans/[id=uuid]/compare': {
		expect: PLAN_READERS,
		query: (subject) => `?from=0&to=${subject.plan.versionSeq}`,
		shows: (data, subject) => expect(data).toMatchObject({ plan: planOf(subject), comparison: { fromSeq: 0, toSeq: subject.plan.versionSeq } })
	},
	'/plans/[id=uuid]/history': {
		expect: PLAN_READERS,
		shows: (data, subject) =>
			expect(data).toMatchObject({ plan: planOf(subject), page: { sessions: listWith({ user: expect.objectContaining({ id: subject.plan.serviceUserId }) }) } })
	},
	'/notifications': {
		expect: SIGNED_IN,
		shows: (data, subject) => expect(data).toMatchObject({ me: subject.viewer!.id, notifications: expect.any(Array) })
	},
	'/plans/[id=uuid]/versions': {
		expect: PLAN_READERS,
		shows: (data, subject) => expect(data).toMatchObject({ plan: planOf(subject), versions: listWith({ id: subject.plan.versionId }) })
	},
	'/plans/[id=uuid]/print': {
		expect: PLAN_READERS,
		shows: (data, subject) => {
			expect(data).toMatchObject({ plan: planOf(subject), version: null });
			expect(JSON.stringify(data)).toContain(subject.plan.marker);
		}
	},
	'/plans/[id=uuid]/crisis-card': {
		expect: PLAN_READERS,
		shows: (data, subject) => expect(data).toMatchObject({ plan: planOf(subject), layout: 'page', crisis: expect.any(Array) })
	}
};

const NEW_PASSPHRASE = 'a brand new passphrase';

/** Jordan's unread notifications, as every page's root layout tells Jordan. */
const jordansUnread = async (subject: Subject) => ((await rootLayoutData(subject.jordanCookie)) as { unreadNotifications: number }).unreadNotifications;

const ACTIONS: Record<string, ActionRule> = {
	// A person cancels and acknowledges only their own links: a field naming someone else's account is ignored, and
	// Morgan's link (open) and Jordan's notice (of a used link) are still there afterwards.
	'/account?/cancelLinks': {
		expect: SIGNED_IN,
		form: (subject) => ({ userId: subject.people.morgan!.id }),
		succeeds: async (outcome, subject) => {
			succeedsWith(/no open link to cancel|link is cancelled/)(outcome);
			expect(await readMorgansLink(subject), 'Morgan’s link after someone else cancelled theirs').toMatchObject({ person: { username: 'morgan' } });
		}
	},
	'/account?/dismissNotices': {
		expect: SIGNED_IN,
		form: (subject) => ({ userId: subject.people.jordan!.id }),
		succeeds: async (outcome, subject) => {
			succeedsWith(/Thank you/)(outcome);
			const jordans = (await rootLayoutData(subject.jordanCookie)) as { user: { id: string }; linkNotices: { used: unknown[] } };
			expect(jordans.user.id).toBe(subject.people.jordan!.id);
			expect(jordans.linkNotices.used, 'Jordan’s notice after someone else acknowledged theirs').toEqual([
				expect.objectContaining({ status: 'used', createdBy: expect.objectContaining({ id: subject.people.priya!.id }) })
			]);
		}
	},
	// Naming Jordan's session (someone none of the columns is): nobody can sign out another person's device.
	'/account?/endSession': {
		expect: SIGNED_IN,
		form: (subject) => ({ session: subject.jordanSessionId }),
		succeeds: async (outcome, subject) => {
			refusesFormWith(404, /already signed out/)(outcome);
			expect(await rootLayoutData(subject.jordanCookie), 'Jordan after someone named their session').toMatchObject({ user: { id: subject.people.jordan!.id } });
		}
	},
	// Nobody removes a factor that is not theirs: a made-up one is "not found" for everyone.
	'/account/security?/remove': {
		expect: SIGNED_IN,
		form: () => ({ kind: 'authenticator', id: '00000000-0000-4000-8000-000000000000' }),
		succeeds: refusesFormWith(404, /no longer on your account/)
	},
	'/account/security?/recoveryCodes': { expect: SIGNED_IN, form: () => ({}), succeeds: refusesFormWith(400, /set up a second step first/) },
	'/account/security/authenticator?/default': { expect: SIGNED_IN, form: () => ({ code: '' }), succeeds: refusesFormWith(400, /6-digit code/) },
	'/account?/password': {
		expect: SIGNED_IN,
		form: () => ({ current: 'not my password', password: NEW_PASSPHRASE, confirm: NEW_PASSPHRASE }),
		succeeds: refusesFormWith(400, /current password is not right/)
	},
	// Passkeys: each route's options are the browser's request, with a challenge of its own; an answer that is no
	// passkey's is refused, whoever sends it.
	'/account/security/passkey?/options': {
		expect: SIGNED_IN,
		form: () => ({}),
		succeeds: (outcome, subject) => {
			expect(outcome.type, outcome.body).toBe('success');
			expect(outcome.data).toMatchObject({ options: { challenge: expect.any(String), user: { name: subject.viewer!.username }, excludeCredentials: [] } });
		}
	},
	'/account/security/passkey?/register': {
		expect: SIGNED_IN,
		form: () => ({ name: 'Made by the matrix', clientDataJSON: 'e30', attestationObject: 'oA' }),
		succeeds: refusesFormWith(400, /took a little too long/)
	},
	'/login/confirm/passkey?/options': {
		expect: SIGNED_IN,
		form: () => ({}),
		succeeds: (outcome) => expect(outcome.data, outcome.body).toMatchObject({ options: { challenge: expect.any(String), allowCredentials: [] } })
	},
	'/login/confirm/passkey?/confirm': {
		expect: SIGNED_IN,
		form: () => ({ credentialId: 'AA', clientDataJSON: 'e30', authenticatorData: 'AA', signature: 'AA' }),
		succeeds: refusesFormWith(400, /took a little too long/)
	},
	'/login/passkey?/options': {
		expect: EVERYONE,
		form: () => ({}),
		succeeds: (outcome) => expect(outcome.data, outcome.body).toMatchObject({ options: { challenge: expect.any(String), allowCredentials: [] } })
	},
	'/login/passkey?/signIn': {
		expect: EVERYONE,
		form: () => ({ credentialId: 'AA', clientDataJSON: 'e30', authenticatorData: 'AA', signature: 'AA' }),
		succeeds: refusesFormWith(400, /took a little too long/)
	},
	// Nobody's second step is open here: anyone signed in is sent home before anything is read.
	'/login/verify/passkey?/options': {
		expect: SECOND_STEP_DONE,
		form: () => ({}),
		succeeds: () => expect.unreachable('no cell of this row is let through')
	},
	'/login/verify/passkey?/verify': {
		expect: SECOND_STEP_DONE,
		form: () => ({ credentialId: 'AA', clientDataJSON: 'e30', authenticatorData: 'AA', signature: 'AA' }),
		succeeds: () => expect.unreachable('no cell of this row is let through')
	},
	// The form of old, with a password the admin chose: the account is made without one, and comes with a first link.
	'/admin?/create': {
		expect: ADMINS_ONLY,
		form: (subject) => ({
			username: 'made-by-the-matrix',
			displayName: 'Made by the matrix',
			role: 'service_user',
			teamId: subject.teams.riverside,
			signIn: 'password',
			password: NEW_PASSPHRASE
		}),
		succeeds: async (outcome, subject) => {
			succeedsWith(/Account created/)(outcome);
			expect(outcome.data).toMatchObject({ link: expect.stringMatching(/\/invite\//), replacesPassword: false });
			const admin = await readPageData(server.url, subject.cookie, '/admin');
			expect(admin.data).toMatchObject({ accounts: listWith({ username: 'made-by-the-matrix', hasPassword: false }) });
		}
	},
	'/admin?/invite': {
		expect: ADMINS_ONLY,
		form: (subject) => ({ userId: subject.people.jordan!.id }),
		succeeds: (outcome) => {
			succeedsWith(/New sign-in link/)(outcome);
			expect(outcome.data).toMatchObject({ link: expect.stringMatching(/\/invite\//), replacesPassword: true });
		}
	},
	// Renaming Casey to the same name: allowed for admins only, and nothing changes.
	'/admin?/edit': {
		expect: ADMINS_ONLY,
		form: (subject) => ({ userId: subject.people.casey!.id, displayName: subject.people.casey!.displayName, username: 'casey' }),
		succeeds: succeedsWith(/Nothing changed/)
	},
	'/admin?/disable': { expect: ADMINS_ONLY, form: (subject) => ({ userId: subject.people.casey!.id }), succeeds: succeedsWith(/is disabled/) },
	'/admin?/enable': { expect: ADMINS_ONLY, form: (subject) => ({ userId: subject.people.casey!.id }), succeeds: succeedsWith(/can sign in again/) },
	// Casey has no second factor: the reset is still done (and audited), and Casey would set one up at next sign-in.
	'/admin?/resetSecondFactors': {
		expect: ADMINS_ONLY,
		form: (subject) => ({ userId: subject.people.casey!.id }),
		succeeds: succeedsWith(/second factors are reset/)
	},
	'/admin/plans?/create': {
		expect: ADMINS_ONLY,
		form: (subject) => ({ serviceUserId: subject.people.casey!.id, teamId: subject.teams.riverside, title: 'Made by the matrix' }),
		succeeds: succeedsWith(/Plan created/)
	},
	'/admin/plans?/assign': {
		expect: ADMINS_ONLY,
		form: (subject) => ({ planId: subject.caseyPlanId, userId: subject.people.priya!.id }),
		succeeds: succeedsWith(/Added/)
	},
	'/admin/plans?/unassign': {
		expect: ADMINS_ONLY,
		form: (subject) => ({ planId: subject.caseyPlanId, userId: subject.people.alex!.id }),
		succeeds: succeedsWith(/Removed/)
	},
	'/admin/teams?/crisisContact': {
		expect: ADMINS_ONLY,
		form: (subject) => ({ teamId: subject.teams.northgate, name: 'Northgate out of hours', phone: '01632 960 999', hours: 'Nights' }),
		succeeds: succeedsWith(/crisis contact for .* is saved/)
	},
	'/admin/teams?/clearCrisisContact': {
		expect: ADMINS_ONLY,
		form: (subject) => ({ teamId: subject.teams.riverside }),
		succeeds: succeedsWith(/crisis contact for .* is removed/)
	},
	'/admin/teams?/create': { expect: ADMINS_ONLY, form: () => ({ name: 'Made by the matrix' }), succeeds: succeedsWith(/created/) },
	'/admin/teams?/add': {
		expect: ADMINS_ONLY,
		form: (subject) => ({ teamId: subject.teams.northgate, userId: subject.people.casey!.id }),
		succeeds: succeedsWith(/joined/)
	},
	'/admin/teams?/remove': {
		expect: ADMINS_ONLY,
		form: (subject) => ({ teamId: subject.teams.riverside, userId: subject.people.alex!.id }),
		succeeds: succeedsWith(/has left/)
	},
	// The link itself is what lets someone in; a mismatched confirmation changes nothing.
	'/invite/[token]?/default': {
		expect: SOMEONE_ELSES_LINK_FORM,
		form: () => ({ password: NEW_PASSPHRASE, confirm: 'another passphrase' }),
		succeeds: refusesFormWith(400, /not the same/)
	},
	// Anyone may choose a language; only a language Chorus has is kept, and only for the one who asks.
	'/language?/default': {
		expect: EVERYONE,
		form: () => ({ language: 'xx' }),
		succeeds: (outcome) => {
			expect(outcome).toMatchObject({ type: 'error', status: 400 });
			expect(outcome.data?.message).toMatch(/languages in the list/);
		}
	},
	'/login?/default': { expect: EVERYONE, form: () => ({ username: '', password: '' }), succeeds: refusesFormWith(400, /both your username and your password/) },
	'/login/confirm?/code': { expect: SIGNED_IN, form: () => ({ code: '' }), succeeds: refusesFormWith(400, /6-digit code/) },
	'/login/confirm?/password': { expect: SIGNED_IN, form: () => ({ password: '' }), succeeds: refusesFormWith(400, /password/) },
	'/login/verify?/default': {
		expect: SECOND_STEP_DONE,
		form: () => ({ code: '123456' }),
		succeeds: () => expect.unreachable('no cell of this row is let through')
	},
	'/logout?/device': {
		expect: EVERYONE,
		form: () => ({}),
		succeeds: (outcome) => expect(outcome).toMatchObject({ type: 'redirect', location: '/login' }),
		endsSessions: true
	},
	'/logout?/everywhere': {
		expect: EVERYONE,
		form: () => ({}),
		succeeds: (outcome) => expect(outcome).toMatchObject({ type: 'redirect', location: '/login' }),
		endsSessions: true
	},
	// A person reads and marks only their own notifications: Jordan's stays unread whoever names it.
	'/notifications?/read': {
		expect: SIGNED_IN,
		form: (subject) => ({ notification: subject.jordanNotificationId }),
		succeeds: async (outcome, subject) => {
			refusesFormWith(404, /could not find that notification/)(outcome);
			expect(await jordansUnread(subject)).toBe(1);
		}
	},
	'/notifications?/readAll': {
		expect: SIGNED_IN,
		form: (subject) => ({ recipient: subject.people.jordan!.id }),
		succeeds: async (outcome, subject) => {
			succeedsWith(/All marked as read/)(outcome);
			expect(await jordansUnread(subject)).toBe(1);
		}
	},
	'/plans/[id=uuid]?/details': {
		expect: CARE_TEAM_ONLY,
		form: (subject) => ({ title: subject.plan.title, reviewDate: '2031-01-01', status: 'active' }),
		succeeds: succeedsWith(/Plan details saved/)
	},
	'/plans/[id=uuid]?/invite': {
		expect: CARE_TEAM_ONLY,
		form: () => ({}),
		succeeds: (outcome) => {
			expect(outcome.type, outcome.body).toBe('success');
			expect(outcome.data).toMatchObject({ link: expect.stringMatching(/\/invite\//), replacesPassword: true });
		}
	},
	'/plans/[id=uuid]?/scheduleAppointment': {
		expect: CARE_TEAM_ONLY,
		form: (subject) => ({ when: '2031-03-04T10:00', attendee: subject.plan.serviceUserId }),
		succeeds: succeedsWith(/booked/)
	},
	// The seeded appointment is running: starting it again is refused, which only someone let through can be told.
	'/plans/[id=uuid]?/startAppointment': {
		expect: CARE_TEAM_ONLY,
		form: (subject) => ({ appointment: subject.plan.appointmentId }),
		succeeds: refusesFormWith(409, /already/)
	},
	'/plans/[id=uuid]?/endAppointment': {
		expect: CARE_TEAM_ONLY,
		form: (subject) => ({ appointment: subject.plan.appointmentId }),
		succeeds: succeedsWith(/has ended/)
	},
	// The seeded appointment is running: it can be neither moved nor cancelled, which only someone let through is told.
	'/plans/[id=uuid]?/moveAppointment': {
		expect: CARE_TEAM_ONLY,
		form: (subject) => ({ appointment: subject.plan.appointmentId, when: '2031-03-05T10:00' }),
		succeeds: refusesFormWith(409, /already started/)
	},
	'/plans/[id=uuid]?/cancelAppointment': {
		expect: CARE_TEAM_ONLY,
		form: (subject) => ({ appointment: subject.plan.appointmentId }),
		succeeds: refusesFormWith(409, /already started/)
	},
	// Let through, a restore is done, or refused for what it would do (nothing, or remove words not shown first):
	// answers only someone let through can be given.
	'/plans/[id=uuid]/at/[seq=seq]?/restore': {
		expect: PLAN_WRITERS,
		form: () => ({ target: 'about', confirmed: 'yes' }),
		succeeds: (outcome) => {
			if (outcome.type === 'success') expect(outcome.data?.restored).toBe(true);
			else
				expect(outcome, outcome.body).toMatchObject({
					type: 'failure',
					status: 409,
					data: { code: expect.stringMatching(/^restore-(no-change|preview-outdated)$/) }
				});
		}
	},
	// The version the matrix opens is no restore: only someone let through learns that.
	'/plans/[id=uuid]/at/[seq=seq]?/undo': {
		expect: PLAN_WRITERS,
		form: () => ({}),
		succeeds: refusesFormWith(404, /did not bring back an earlier version/)
	},
	'/plans/[id=uuid]/versions?/agree': {
		expect: PLAN_WRITERS,
		form: () => ({ name: 'Agreed in the route matrix' }),
		succeeds: succeedsWith(/saved with your agreement/)
	},
	'/plans/[id=uuid]/versions?/save': { expect: PLAN_WRITERS, form: () => ({ name: 'Saved in the route matrix' }), succeeds: succeedsWith(/is saved/) },
	'/plans/[id=uuid]/versions?/signOff': {
		expect: PLAN_WRITERS,
		form: (subject) => ({ version: subject.plan.versionId, decision: 'agree' }),
		succeeds: succeedsWith(/You agreed/)
	}
};

const json = (answer: { body: string }): unknown => JSON.parse(answer.body);

const ENDPOINTS: Record<string, EndpointRule> = {
	'GET /api/audit/involvement': {
		expect: [401, 403, 403, 403, 403, 'ok', 404, 403],
		query: (subject) => `?team=${subject.team.id}&format=json`,
		shows: (answer, subject) => expect(json(answer)).toMatchObject({ team: { id: subject.team.id }, plans: listWith({ plan_id: subject.plan.id }) })
	},
	'GET /api/plans/[id=uuid]/authorship': {
		expect: PLAN_API,
		shows: (answer, subject) => expect(json(answer)).toMatchObject({ byUser: listWith({ id: subject.plan.serviceUserId }) })
	},
	'GET /api/plans/[id=uuid]/history': {
		expect: PLAN_API,
		shows: (answer, subject) =>
			expect(json(answer)).toMatchObject({ sessions: listWith({ user: expect.objectContaining({ id: subject.plan.serviceUserId }) }) })
	},
	'GET /api/plans/[id=uuid]/versions': {
		expect: PLAN_API,
		shows: (answer, subject) => expect(json(answer)).toMatchObject({ versions: listWith({ id: subject.plan.versionId }) })
	},
	// How long a session has left before it ends for lack of activity: staff have a limit, service users none.
	'GET /api/session/activity': {
		expect: [401, 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok'],
		shows: (answer, subject) => expect(json(answer)).toEqual({ remainingMs: subject.viewer!.role === 'service_user' ? null : expect.any(Number) })
	},
	'POST /api/session/activity': {
		expect: [401, 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok'],
		shows: (answer, subject) => expect(json(answer)).toEqual({ remainingMs: subject.viewer!.role === 'service_user' ? null : expect.any(Number) })
	},
	'GET /plans/[id=uuid]/download': {
		expect: PLAN_READERS,
		shows: (answer, subject) => {
			expect(answer.contentType).toMatch(/^text\/plain/);
			expect(answer.body).toContain(subject.plan.title);
			expect(answer.body).toContain(subject.plan.marker);
		}
	},
	// Everything Chorus holds about the person asking (tests/integration/my-data.test.ts reads the archive through).
	'GET /account/my-data': {
		expect: SIGNED_IN,
		shows: (answer) => {
			expect(answer.contentType).toBe('application/zip');
			expect(answer.body.startsWith('PK')).toBe(true);
		}
	},
	'GET /api/plans/[id=uuid]/fhir': {
		expect: PLAN_API,
		shows: (answer, subject) => {
			expect(answer.contentType).toBe('application/fhir+json; charset=utf-8');
			const bundle = json(answer) as { resourceType: string; entry: { resource: { resourceType: string; id: string; title?: string } }[] };
			expect(bundle.resourceType).toBe('Bundle');
			expect(bundle.entry.filter((entry) => entry.resource.resourceType === 'CarePlan').map((entry) => entry.resource)).toEqual([
				expect.objectContaining({ id: subject.plan.id, title: subject.plan.title })
			]);
		}
	},
	// PDFs: the words are in compressed streams (read back with pdftotext in pdf-export.test.ts); the title is also in
	// the document's XMP metadata, which is plain UTF-8.
	'GET /plans/[id=uuid]/pdf': {
		expect: PLAN_READERS,
		shows: (answer, subject) => {
			expect(answer.contentType).toBe('application/pdf');
			expect(answer.body.startsWith('%PDF-1.7')).toBe(true);
			expect(answer.body).toContain(`<rdf:li xml:lang="x-default">${subject.plan.title}</rdf:li>`);
		}
	},
	'GET /plans/[id=uuid]/crisis-card/pdf': {
		expect: PLAN_READERS,
		shows: (answer) => {
			expect(answer.contentType).toBe('application/pdf');
			expect(answer.body.startsWith('%PDF-1.7')).toBe(true);
			expect(answer.body).toContain('<dc:title>');
		}
	}
};

/** The collaboration socket lives in server/collab/, not in src/routes; it is the one route added by hand. */
const SOCKET: Row = [401, 'ok', 404, 'ok', 404, 'ok', 404, 404];

/** Tables a refused request may change, and why. Every other table must stay exactly as it was. */
const MAY_CHANGE: Record<string, string> = {
	session: 'each person signs in',
	sign_in_attempt: 'each person signs in (checked on its own below)',
	audit_event: 'refusals are recorded (checked on its own below)',
	plan_involvement: 'a derived cache the server refreshes by itself',
	plan_involvement_month: 'a derived cache the server refreshes by itself',
	plan_checkpoint: 'merged state the server may write when it loads a plan'
};

let server: TestServer;
let tree: RouteTree;
const plans: Record<string, SeededPlan> = {};
const people: Record<string, Person> = {};
const teams = {} as Record<'riverside' | 'northgate', string>;
const teamNames: Record<string, string> = {};
let caseyPlanId = '';
let token = '';
let jordanCookie = '';
let jordanNotificationId = '';
let jordanSessionId = '';
let before: Record<string, string>;
let auditBefore: number;
let attemptsBefore: number;
/**
 * Every name, title, username, id and plan word of the demo data: what a refusal must not contain. Usernames are
 * short words ("sam", "tom"), so they count only as a whole string of a JSON answer.
 */
const secrets: { text: string; owner?: string; username?: true }[] = [];
const cookies: Record<string, string> = {};

async function rows<T>(db: Database, query: ReturnType<typeof sql>): Promise<T[]> {
	const result = (await db.execute(query)) as unknown as T[] | { rows: T[] };
	return Array.isArray(result) ? result : result.rows;
}

/** A digest of every table except MAY_CHANGE: equal digests mean nothing was created, changed or removed. */
async function fingerprint(db: Database): Promise<Record<string, string>> {
	const tables = await rows<{ name: string }>(
		db,
		sql`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`
	);
	const digests: Record<string, string> = {};
	for (const { name } of tables.filter((table) => !(table.name in MAY_CHANGE))) {
		const [row] = await rows<{ count: number; digest: string }>(
			db,
			sql.raw(`SELECT count(*)::int AS count, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS digest FROM "${name}" t`)
		);
		digests[name] = `${row!.count} rows, ${row!.digest}`;
	}
	return digests;
}

async function seed(db: Database): Promise<void> {
	await seedDemo(db);
	for (const account of await listAccounts(db)) {
		people[account.username] = { id: account.id, username: account.username, displayName: account.displayName, role: account.role };
		secrets.push(
			{ text: account.id, owner: account.id },
			{ text: account.displayName, owner: account.id },
			{ text: account.username, owner: account.id, username: true }
		);
	}
	for (const team of await listTeams(db)) {
		if (team.name.startsWith('Riverside')) teams.riverside = team.id;
		else teams.northgate = team.id;
		teamNames[team.id] = team.name;
		secrets.push({ text: team.id }, { text: team.name });
	}
	const now = Date.now();
	for (const plan of await listAllPlans(db)) {
		secrets.push({ text: plan.id }, { text: plan.title });
		const owner = Object.values(people).find((person) => person.id === plan.serviceUser.id)!;
		if (owner.username === 'casey') caseyPlanId = plan.id;
		if (!['sam', 'jordan', 'lee'].includes(owner.username)) continue;
		const marker = `matrix-word-of-${owner.username}-${crypto.randomUUID().slice(0, 8)}`;
		secrets.push({ text: marker });
		const worker = (await listCareTeam(db, plan.id))[0]!;
		await writeScriptedHistory(db, {
			planId: plan.id,
			visits: [
				{ at: new Date(now - 3 * 3600_000), by: owner.id, context: 'solo', writes: [{ section: 'about', text: marker }] },
				{ at: new Date(now - 2 * 3600_000), by: owner.id, context: 'solo', writes: [{ section: 'about', text: ' and what came after' }] }
			],
			versions: [{ afterVisit: 0, name: 'First words', kind: 'manual', createdBy: owner.id, signOffs: [] }]
		});
		const [version] = await listPlanVersions(db, plan.id);
		const appointment = await scheduleAppointment(db, {
			planId: plan.id,
			scheduledFor: new Date(now),
			place: null,
			createdBy: worker.id,
			attendees: [owner.id, worker.id]
		});
		await startAppointment(db, appointment.id, worker.id);
		plans[owner.username] = {
			id: plan.id,
			title: plan.title,
			teamId: plan.team.id,
			serviceUserId: owner.id,
			marker,
			versionId: version!.id,
			versionSeq: version!.seq,
			appointmentId: appointment.id
		};
	}
	({ token } = await createInvitation(db, { kind: 'set_password', userId: people.morgan!.id, createdBy: people.robin!.id }));
	secrets.push({ text: token });
	// Jordan's link, made by Priya, was used (Jordan keeps the demo password); Jordan signed in again afterwards and has
	// not acknowledged the notice about it.
	const jordans = await createInvitation(db, { kind: 'set_password', userId: people.jordan!.id, createdBy: people.priya!.id });
	const redeemed = await redeemInvitation(db, jordans.token, { passwordHash: await hashPassword('chorus-demo'), client: { ip: null, userAgent: null } });
	if (!redeemed.ok) throw new Error(`Jordan's link could not be used: ${redeemed.error}`);
	const jordanToken = generateSessionToken();
	jordanSessionId = (await createSession(db, jordanToken, people.jordan!.id)).id;
	jordanCookie = `${SESSION_COOKIE}=${jordanToken}`;
	await addNotifications(db, [people.jordan!.id], {
		kind: 'appointment-booked',
		actorId: people.priya!.id,
		planId: plans.jordan!.id,
		params: { when: new Date(now).toISOString() }
	});
	jordanNotificationId = (await listNotifications(db, people.jordan!.id))[0]!.id;
	secrets.push({ text: jordans.token }, { text: jordanToken });
	before = await fingerprint(db);
	auditBefore = (await rows<{ last: number }>(db, sql`SELECT coalesce(max(id), 0)::int AS last FROM audit_event`))[0]!.last;
	attemptsBefore = (await rows<{ last: number }>(db, sql`SELECT coalesce(max(id), 0)::int AS last FROM sign_in_attempt`))[0]!.last;
}

function subjectOf(column: number, cookie?: string): Subject {
	const { name, who, plan } = COLUMNS[column]!;
	const seeded = plans[plan]!;
	return {
		column: name,
		viewer: who ? people[who]! : null,
		cookie: cookie ?? (who ? cookies[who]! : ''),
		plan: seeded,
		team: { id: seeded.teamId, name: teamNames[seeded.teamId]! },
		people,
		teams,
		caseyPlanId,
		token,
		jordanCookie,
		jordanNotificationId,
		jordanSessionId
	};
}

const pathOf = (routeId: string, subject: Subject) => routePath(routeId, { id: subject.plan.id, seq: String(subject.plan.versionSeq), token: subject.token });

/** Every string in a JSON answer, or the text of any other answer. */
function stringsIn(body: string): string[] {
	try {
		const found: string[] = [];
		const visit = (value: unknown): void => {
			if (typeof value === 'string') found.push(value);
			else if (Array.isArray(value)) value.forEach(visit);
			else if (value && typeof value === 'object') Object.values(value).forEach(visit);
		};
		visit(JSON.parse(body));
		return found;
	} catch {
		return [body];
	}
}

/**
 * What of the demo data a refusal gives away: names, titles, usernames (as whole JSON strings), ids and plan words,
 * apart from the asker's own name and id and what the request itself said.
 */
function leaks(body: string, subject: Subject, requested: string): string[] {
	const strings = stringsIn(body);
	const isJson = strings.length !== 1 || strings[0] !== body;
	return secrets
		.filter((secret) => secret.owner === undefined || secret.owner !== subject.viewer?.id)
		.filter((secret) => !requested.includes(secret.text))
		.filter((secret) => (secret.username ? isJson && strings.includes(secret.text) : strings.some((text) => text.includes(secret.text))))
		.map((secret) => secret.text);
}

/** The root layout's data for a session: what every page tells the person about their own sign-in links. */
async function rootLayoutData(cookie: string): Promise<unknown> {
	const answer = (await (await fetch(`${server.url}/__data.json?x-sveltekit-invalidated=1`, { headers: { cookie } })).json()) as DataAnswer;
	const root = answer.type === 'data' ? answer.nodes[0] : null;
	if (root?.type !== 'data') throw new Error(`No root layout data: ${JSON.stringify(answer).slice(0, 300)}`);
	return devalue.unflatten(root.data);
}

/** Sent to sign in: to /login, with `next` (when there is one) naming exactly what was asked for. */
function expectSignIn(location: string | null | undefined, requested: string): void {
	expect(location).toMatch(/^\/login(\?next=|$)/);
	const next = new URL(location!, 'http://chorus.invalid').searchParams.get('next');
	if (next !== null) expect(next).toBe(requested);
}

type DataNode = { type: 'data'; data: unknown[] } | { type: 'error'; status?: number } | { type: 'skip' } | null;
type DataAnswer = { type: 'data'; nodes: DataNode[] } | { type: 'redirect'; location: string } | { type: 'error'; status?: number };

async function checkPage(routeId: string, rule: PageRule, layouts: number, serverData: boolean, subject: Subject, outcome: Outcome): Promise<void> {
	const requested = pathOf(routeId, subject) + (rule.query?.(subject) ?? '');
	const [pathname, query] = requested.split('?') as [string, string | undefined];
	const headers = { cookie: subject.cookie, accept: 'text/html' };
	const page = await fetch(`${server.url}${requested}`, { headers, redirect: 'manual' });
	const html = await page.text();
	if (outcome === 'ok' || outcome === 'sign out first') expect(page.status, html.slice(0, 500)).toBe(200);
	else if (outcome === 'sign in') expectSignIn(page.headers.get('location'), requested);
	else if (outcome === 'home') expect([page.status, page.headers.get('location')]).toEqual([303, '/']);
	else expect(page.status).toBe(outcome);
	if (outcome !== 'ok') expect(leaks(html, subject, requested), 'the page gives away').toEqual([]);
	if (!serverData) return;

	// All nodes, and the page's own node alone: a layout's check does not run for the second.
	for (const invalidated of [null, `${'0'.repeat(layouts)}1`]) {
		const search = new URLSearchParams(query);
		if (invalidated) search.set('x-sveltekit-invalidated', invalidated);
		const url = `${server.url}${pathname === '/' ? '' : pathname}/__data.json${search.size ? `?${search}` : ''}`;
		const response = await fetch(url, { headers: { cookie: subject.cookie } });
		const body = await response.text();
		const label = `${url.slice(server.url.length)}: ${body.slice(0, 300)}`;
		const answer = JSON.parse(body) as DataAnswer;
		if (outcome !== 'ok') expect(leaks(body, subject, requested), `${label} gives away`).toEqual([]);
		if (outcome === 'sign in' || outcome === 'home') {
			expect(answer.type, label).toBe('redirect');
			if (answer.type !== 'redirect') continue;
			if (outcome === 'home') expect(answer.location).toBe('/');
			else expectSignIn(answer.location, requested);
			continue;
		}
		if (answer.type === 'error') {
			expect(answer.status ?? response.status, label).toBe(outcome);
			continue;
		}
		expect(answer.type, label).toBe('data');
		if (answer.type !== 'data') continue;
		expect(answer.nodes, label).toHaveLength(layouts + 1);
		if (!invalidated) {
			// The root layout, on every page: the asker and the notices about their own sign-in links, nobody else's
			// (no column's link has been used; Jordan's has).
			const [root] = answer.nodes;
			expect(root?.type, label).toBe('data');
			if (root?.type === 'data') {
				const viewer = subject.viewer;
				expect(devalue.unflatten(root.data), label).toEqual({
					user: viewer ? expect.objectContaining({ id: viewer.id }) : null,
					signingIn: false,
					linkNotices: viewer ? { open: expect.any(Array), used: [] } : null,
					unreadNotifications: viewer ? expect.any(Number) : null
				});
			}
		}
		const own = answer.nodes.at(-1)!;
		if (outcome === 'ok' || outcome === 'sign out first') {
			expect(own?.type, label).toBe('data');
			if (own?.type !== 'data') continue;
			const data = devalue.unflatten(own.data);
			if (outcome === 'sign out first') expect(data, label).toMatchObject({ signedInAs: subject.viewer!.displayName });
			else rule.shows?.(data, subject);
		} else {
			expect(own?.type, label).toBe('error');
			if (own?.type === 'error') expect(own.status, label).toBe(outcome);
		}
	}
}

async function checkAction(routeId: string, name: string, rule: ActionRule, subject: Subject, outcome: Outcome): Promise<void> {
	const path = pathOf(routeId, subject) + (name === 'default' ? '' : `?/${name}`);
	const answer = await submitAction(server.url, server.origin, subject.cookie, path, rule.form(subject));
	const label = `${path}: ${answer.body.slice(0, 300)}`;
	if (outcome === 'ok') return rule.succeeds(answer, subject);
	expect(leaks(answer.body, subject, path), `${label} gives away`).toEqual([]);
	if (outcome === 'sign in') {
		expect(answer.type, label).toBe('redirect');
		return expectSignIn(answer.location, path);
	}
	if (outcome === 'home') return expect([answer.type, answer.location], label).toEqual(['redirect', '/']);
	expect(answer.type === 'failure' ? answer.status : answer.http, label).toBe(outcome);
	expect(['failure', 'error'], label).toContain(answer.type);
	if (outcome === 404) expect(answer.data?.message, label).toMatch(NOT_FOUND);
}

async function checkEndpoint(routeId: string, method: string, rule: EndpointRule, subject: Subject, outcome: Outcome): Promise<void> {
	const requested = pathOf(routeId, subject) + (rule.query?.(subject) ?? '');
	const response = await fetch(`${server.url}${requested}`, { method, headers: { cookie: subject.cookie }, redirect: 'manual' });
	const body = await response.text();
	const label = `${method} ${requested}: ${body.slice(0, 300)}`;
	if (outcome === 'ok') {
		expect(response.status, label).toBe(200);
		return rule.shows({ body, contentType: response.headers.get('content-type') ?? '' }, subject);
	}
	expect(leaks(body, subject, requested), `${label} gives away`).toEqual([]);
	if (outcome === 'sign in') return expectSignIn(response.headers.get('location'), requested);
	expect(response.status, label).toBe(outcome);
	if (response.headers.get('content-type')?.startsWith('application/json')) {
		const answer = JSON.parse(body) as { error?: string; message?: string };
		expect(answer.error ?? answer.message, label).toEqual(expect.any(String));
		if (outcome === 404) expect(answer.error ?? answer.message, label).toMatch(NOT_FOUND);
	}
}

async function checkSocket(subject: Subject, outcome: Outcome): Promise<void> {
	const requested = `/collab/${subject.plan.id}`;
	const answer = await upgradeAnswer(`${server.url.replace('http', 'ws')}${requested}`, {
		origin: server.origin,
		...(subject.cookie ? { cookie: subject.cookie } : {})
	});
	expect(answer.status, answer.body).toBe(outcome === 'ok' ? 101 : outcome);
	expect(leaks(answer.body, subject, requested), 'the refusal gives away').toEqual([]);
	if (outcome === 404) expect(answer.body).toMatch(NOT_FOUND);
}

interface Cell {
	label: string;
	column: number;
	outcome: Outcome;
	endsSessions: boolean;
	run(subject: Subject, outcome: Outcome): Promise<void>;
}

/** Every (route, column) pair of the tree that has a row in the matrix, and the socket's. */
function cells(): Cell[] {
	const all: Cell[] = [];
	const add = (label: string, row: Row, run: Cell['run'], endsSessions = false) =>
		row.forEach((outcome, column) => all.push({ label: `${label} — ${COLUMNS[column]!.name}`, column, outcome, endsSessions, run }));
	for (const page of tree.pages) {
		const rule = PAGES[page.id];
		if (rule) add(`page ${page.id}`, rule.expect, (subject, outcome) => checkPage(page.id, rule, page.layouts, page.serverData, subject, outcome));
	}
	for (const action of tree.actions) {
		const rule = ACTIONS[`${action.id}?/${action.name}`];
		if (rule)
			add(
				`action ${action.id}?/${action.name}`,
				rule.expect,
				(subject, outcome) => checkAction(action.id, action.name, rule, subject, outcome),
				rule.endsSessions
			);
	}
	for (const endpoint of tree.endpoints) {
		const rule = ENDPOINTS[`${endpoint.method} ${endpoint.id}`];
		if (rule) add(`${endpoint.method} ${endpoint.id}`, rule.expect, (subject, outcome) => checkEndpoint(endpoint.id, endpoint.method, rule, subject, outcome));
	}
	add('socket /collab/[id=uuid]', SOCKET, checkSocket);
	return all;
}

/** Runs the cells a few at a time and returns every failure, so that one run shows them all. */
async function runCells(selected: Cell[], parallel: number): Promise<string[]> {
	const failures: string[] = [];
	const queue = [...selected];
	const worker = async () => {
		for (let cell = queue.shift(); cell; cell = queue.shift()) {
			try {
				await cell.run(subjectOf(cell.column), cell.outcome);
			} catch (error) {
				failures.push(`${cell.label}: ${error instanceof Error ? error.message : String(error)}`);
			}
		}
	};
	await Promise.all(Array.from({ length: parallel }, worker));
	return failures;
}

beforeAll(async () => {
	tree = await readRouteTree();
	server = await startTestServer({}, seed);
	for (const who of new Set(COLUMNS.flatMap((column) => (column.who ? [column.who] : [])))) cookies[who] = await signInCookie(server.url, who);
}, 180_000);

afterAll(async () => {
	await server?.dispose();
});

describe(`route × role matrix (${testDatabaseKind})`, () => {
	it('has a row for every page, action and endpoint in src/routes, and none for routes that are gone', () => {
		const inTree = [
			...tree.pages.map((page) => `page ${page.id}`),
			...tree.actions.map((action) => `action ${action.id}?/${action.name}`),
			...tree.endpoints.map((endpoint) => `endpoint ${endpoint.method} ${endpoint.id}`)
		].sort();
		const inMatrix = [
			...Object.keys(PAGES).map((id) => `page ${id}`),
			...Object.keys(ACTIONS).map((key) => `action ${key}`),
			...Object.keys(ENDPOINTS).map((key) => `endpoint ${key}`)
		].sort();
		expect(inTree.length).toBeGreaterThan(30);
		expect(inMatrix, 'routes in src/routes (left) and rows in this matrix (right) must be the same').toEqual(inTree);
	});

	it('keeps the admin pages’ data from everyone else, also when only the page’s own data is asked for', async () => {
		// What the first review found: the layout's role check is skipped when only the page's own node is asked for.
		for (const cookie of ['', cookies.sam!, cookies.tom!, cookies.maria!]) {
			for (const path of ['/admin', '/admin/plans', '/admin/teams']) {
				const body = await (await fetch(`${server.url}${path}/__data.json?x-sveltekit-invalidated=001`, { headers: { cookie } })).text();
				for (const name of ['Jordan Lee', '"jordan"', 'Lee’s recovery plan', 'Northgate Recovery College'])
					expect(body, `${path} ${cookie ? 'signed in' : 'anonymous'}`).not.toContain(name);
			}
		}
	});

	it('refuses every cell it should, gives nothing away, and changes nothing', async () => {
		const failures = await runCells(
			cells().filter((cell) => cell.outcome !== 'ok' && cell.outcome !== 'home'),
			6
		);
		await server.stop();
		const storage = await server.openStorage();
		let after: Record<string, string>;
		let recorded: { action: string }[];
		let attempts: { username: string | null; succeeded: boolean }[];
		try {
			after = await fingerprint(storage.db);
			recorded = await rows<{ action: string }>(storage.db, sql`SELECT DISTINCT action FROM audit_event WHERE id > ${auditBefore} ORDER BY action`);
			attempts = await rows<{ username: string | null; succeeded: boolean }>(
				storage.db,
				sql`SELECT u.username, a.succeeded FROM sign_in_attempt a LEFT JOIN "user" u ON u.id = a.user_id WHERE a.id > ${attemptsBefore} ORDER BY u.username`
			);
		} finally {
			await storage.close();
			await server.restart();
		}
		expect.soft(failures, server.output().slice(-3000)).toEqual([]);
		expect.soft(after, 'tables changed by refused requests').toEqual(before);
		expect
			.soft(
				recorded.map((row) => row.action).filter((action) => !['sign_in', 'access.denied'].includes(action)),
				'recorded besides sign-ins and refusals'
			)
			.toEqual([]);
		// Refusals record no sign-in attempt: the only ones are the columns' own sign-ins, one each, that succeeded.
		const signedIn = Object.keys(cookies)
			.sort()
			.map((username) => ({ username, succeeded: true }));
		expect.soft(attempts, 'sign-in attempts since the seed').toEqual(signedIn);
	}, 300_000);

	it('gives every allowed cell its data', async () => {
		const failures = await runCells(
			cells().filter((cell) => (cell.outcome === 'ok' || cell.outcome === 'home') && !cell.endsSessions),
			6
		);
		expect(failures, server.output().slice(-3000)).toEqual([]);
	}, 300_000);

	it('signs anyone out, last, each on a session of its own that then no longer works', async () => {
		const ending = cells().filter((cell) => cell.endsSessions);
		expect(ending.length).toBeGreaterThan(0);
		for (const cell of ending) {
			const who = COLUMNS[cell.column]!.who;
			const cookie = who ? await signInCookie(server.url, who) : '';
			await cell.run(subjectOf(cell.column, cookie), cell.outcome);
			if (cookie) {
				const home = await fetch(`${server.url}/`, { headers: { cookie }, redirect: 'manual' });
				expect([home.status, home.headers.get('location')], `${cell.label}: the session still works`).toEqual([303, '/login']);
			}
		}
	}, 120_000);
});
