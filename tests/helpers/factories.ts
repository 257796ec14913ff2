import { createAccount } from '../../db/accounts.ts';
import { hashPassword } from '../../db/password.ts';
import { addCareTeamMember, createPlan } from '../../db/plans.ts';
import type { User } from '../../db/schema/index.ts';
import { addTeamMember, createTeam } from '../../db/teams.ts';
import type { Database } from '../../db/types.ts';

export const TEST_PASSWORD = 'correct horse battery';

let cachedHash: Promise<string> | undefined;
let counter = 0;

/** Creates an account (with TEST_PASSWORD unless `password: null`); names are unique per call. */
export async function makeAccount(
	db: Database,
	role: User['role'],
	options: { username?: string; displayName?: string; discipline?: User['discipline']; password?: string | null } = {}
): Promise<User> {
	counter += 1;
	const username = options.username ?? `${role.replace('_', '-')}-${counter}-${Math.random().toString(36).slice(2, 6)}`;
	let passwordHash: string | null = null;
	if (options.password === undefined) passwordHash = await (cachedHash ??= hashPassword(TEST_PASSWORD));
	else if (options.password !== null) passwordHash = await hashPassword(options.password);
	const created = await createAccount(db, {
		username,
		displayName: options.displayName ?? `Person ${counter}`,
		role,
		discipline: role === 'professional' ? (options.discipline ?? 'nurse') : null,
		passwordHash
	});
	if (!created.ok) throw new Error(`could not create ${username}: ${created.error}`);
	return created.value;
}

/**
 * A team with a service user's plan, a professional on its care team, a supervisor of the team, and
 * an outsider professional in another team with a plan of their own.
 */
export async function makeCareSetting(db: Database) {
	const suffix = Math.random().toString(36).slice(2, 8);
	const team = await createTeam(db, `Team ${suffix}`);
	const otherTeam = await createTeam(db, `Other team ${suffix}`);
	if (!team.ok || !otherTeam.ok) throw new Error('could not create teams');
	const serviceUser = await makeAccount(db, 'service_user');
	const professional = await makeAccount(db, 'professional', { discipline: 'social_worker' });
	const peerWorker = await makeAccount(db, 'professional', { discipline: 'peer_worker' });
	const supervisor = await makeAccount(db, 'supervisor');
	const admin = await makeAccount(db, 'admin');
	const outsider = await makeAccount(db, 'professional', { discipline: 'psychologist' });
	const otherServiceUser = await makeAccount(db, 'service_user');
	await addTeamMember(db, team.value.id, supervisor.id);

	const plan = await createPlan(db, { title: 'Plan', serviceUserId: serviceUser.id, teamId: team.value.id });
	const otherPlan = await createPlan(db, { title: 'Other plan', serviceUserId: otherServiceUser.id, teamId: otherTeam.value.id });
	if (!plan.ok || !otherPlan.ok) throw new Error('could not create plans');
	await addCareTeamMember(db, plan.value.id, professional.id, admin.id);
	await addCareTeamMember(db, plan.value.id, peerWorker.id, admin.id);
	await addCareTeamMember(db, otherPlan.value.id, outsider.id, admin.id);
	return {
		team: team.value,
		otherTeam: otherTeam.value,
		plan: plan.value,
		otherPlan: otherPlan.value,
		serviceUser,
		professional,
		peerWorker,
		supervisor,
		admin,
		outsider,
		otherServiceUser
	};
}
