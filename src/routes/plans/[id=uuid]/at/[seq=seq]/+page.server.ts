import { encodeBase64 } from '@oslojs/encoding';
import { error, fail } from '@sveltejs/kit';
import { findPlanUpdate } from '$db/plan-history';
import { getLivePlans } from '$lib/shared/live-plans';
import { PLAN_SECTIONS, type SectionId } from '$lib/shared/plan-sections';
import { audit } from '$lib/server/audit';
import { db } from '$lib/server/db';
import { loadClientOwners, loadPlanDocAt, planStateAt } from '$lib/server/history/documents';
import { loadAuthors, unknownAuthor } from '$lib/server/history/people';
import { restoreChange, type RestoreTarget } from '$lib/server/history/restore';
import { readForm, UNREADABLE_FORM } from '$lib/server/forms';
import { canChange, openPlan } from '$lib/server/plan-access';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const NO_SUCH_VERSION = 'This plan has no such version.';

/** The version a page is about: the plan right after change `seq` (0: before anyone wrote). */
async function findVersion(planId: string, seq: number) {
	if (seq === 0) return { seq, at: null, userId: null };
	const change = await findPlanUpdate(db(), planId, seq);
	return change ? { seq, at: change.at, userId: change.userId } : null;
}

export const load: PageServerLoad = async (event) => {
	const opened = await openPlan(event);
	const seq = Number(event.params.seq);
	const version = await findVersion(opened.plan.id, seq);
	if (!version) error(404, { message: NO_SUCH_VERSION });
	const state = encodeBase64(await planStateAt(opened.plan.id, seq));
	const author = version.userId ? ((await loadAuthors([version.userId])).get(version.userId) ?? unknownAuthor(version.userId)) : null;
	await audit(event, { action: 'history.viewed', targetType: 'plan', targetId: opened.plan.id, detail: { view: 'version', seq } });
	return {
		plan: opened.plan,
		version: { seq, at: version.at, author },
		state,
		canRestore: canChange(opened)
	};
};

function readTarget(raw: FormDataEntryValue | null): RestoreTarget | null {
	if (raw === 'plan') return 'plan';
	const section = PLAN_SECTIONS.find((candidate) => candidate.id === raw);
	return section ? { section: section.id as SectionId } : null;
}

async function restore(event: RequestEvent) {
	const opened = await openPlan(event);
	if (!canChange(opened)) return fail(403, { message: 'Only the person whose plan it is and their care team can bring back an earlier version.' });
	const seq = Number(event.params.seq);
	if (!(await findVersion(opened.plan.id, seq))) return fail(404, { message: NO_SUCH_VERSION });
	const form = await readForm(event);
	if (!form) return fail(400, { message: UNREADABLE_FORM });
	const target = readTarget(form.get('target'));
	if (!target) return fail(400, { message: 'Please choose a section, or the whole plan, to bring back.' });
	if (form.get('confirmed') !== 'yes') return fail(400, { message: 'Please confirm that you want to bring this back.' });
	const live = getLivePlans();
	const [version, owners, before] = await Promise.all([loadPlanDocAt(opened.plan.id, seq), loadClientOwners(opened.plan.id), live.committedSeq(opened.plan.id)]);
	const restoredAt = await live.changePlan(opened.plan.id, opened.user.id, restoreChange(version, owners, opened.user.id, target), seq);
	version.destroy();
	const changed = restoredAt > before;
	await audit(event, {
		action: 'plan.restored',
		targetType: 'plan',
		targetId: opened.plan.id,
		detail: { fromSeq: seq, target: target === 'plan' ? 'plan' : target.section, newSeq: changed ? restoredAt : null }
	});
	const what = target === 'plan' ? 'The whole plan' : `“${PLAN_SECTIONS.find((section) => section.id === target.section)!.title}”`;
	return {
		restored: true,
		seq: restoredAt,
		message: changed ? `${what} is back as it was in this version. This shows in the history as your change.` : `${what} was already the same as in this version: nothing needed to change.`
	};
}

export const actions: Actions = { restore };
