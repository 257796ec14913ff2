import { fail, type ActionFailure } from '@sveltejs/kit';
import { findPlanVersion, recordSignOff } from '$db/plan-versions';
import { formatDate } from '$lib/shared/dates';
import { isUuid } from '$lib/shared/validation';
import { getLivePlans } from '$lib/shared/live-plans';
import { audit } from '$lib/server/audit';
import { db } from '$lib/server/db';
import { readForm, UNREADABLE_FORM } from '$lib/server/forms';
import { loadVersions, pinVersion } from '$lib/server/history/versions';
import { canChange, openPlan, type OpenPlan } from '$lib/server/plan-access';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const NAME_MAX = 120;
const REASON_MAX = 2000;
const ONLY_PLAN_PEOPLE = 'Only the person whose plan it is and their care team can do this.';

export const load: PageServerLoad = async (event) => {
	const opened = await openPlan(event);
	const versions = await loadVersions(opened.plan.id, opened.plan.serviceUser.id);
	await audit(event, { action: 'history.viewed', targetType: 'plan', targetId: opened.plan.id, detail: { view: 'versions' } });
	return {
		plan: opened.plan,
		versions,
		me: { id: opened.user.id, isServiceUser: opened.user.id === opened.plan.serviceUser.id },
		canSignOff: canChange(opened)
	};
};

function readName(form: FormData, fallback: string): { ok: true; value: string } | { ok: false; message: string } {
	const raw = form.get('name');
	const name = typeof raw === 'string' ? raw.trim() : '';
	if (name.length > NAME_MAX) return { ok: false, message: `A version name is at most ${NAME_MAX} characters.` };
	return { ok: true, value: name || fallback };
}

async function opening(event: RequestEvent): Promise<{ opened: OpenPlan; form: FormData } | ActionFailure<{ message: string }>> {
	const opened = await openPlan(event);
	if (!canChange(opened)) return fail(403, { message: ONLY_PLAN_PEOPLE });
	const form = await readForm(event);
	if (!form) return fail(400, { message: UNREADABLE_FORM });
	return { opened, form };
}

export const actions: Actions = {
	/** "Mark as agreed": pins the plan as it is now and records the proposer's own agreement. */
	agree: async (event) => {
		const started = await opening(event);
		if (!('opened' in started)) return started;
		const { opened, form } = started;
		const name = readName(form, `Plan agreed ${formatDate(new Date().toISOString().slice(0, 10))}`);
		if (!name.ok) return fail(400, { message: name.message });
		const version = await pinVersion(opened.plan.id, opened.user.id, 'agreement', name.value);
		await recordSignOff(db(), { versionId: version.id, userId: opened.user.id, decision: 'agree', reason: null });
		await audit(event, { action: 'version.created', targetType: 'plan', targetId: opened.plan.id, detail: { versionId: version.id, seq: version.seq, kind: 'agreement' } });
		await audit(event, { action: 'version.signed_off', targetType: 'plan', targetId: opened.plan.id, detail: { versionId: version.id, decision: 'agree' } });
		getLivePlans().involvementChanged(opened.plan.id);
		return { saved: true, message: `“${version.name}” is saved with your agreement. It becomes agreed once both sides have said they agree.` };
	},
	/** "Save a version": pins the plan as it is now under a name. */
	save: async (event) => {
		const started = await opening(event);
		if (!('opened' in started)) return started;
		const { opened, form } = started;
		const name = readName(form, `Saved ${formatDate(new Date().toISOString().slice(0, 10))}`);
		if (!name.ok) return fail(400, { message: name.message });
		const version = await pinVersion(opened.plan.id, opened.user.id, 'manual', name.value);
		await audit(event, { action: 'version.created', targetType: 'plan', targetId: opened.plan.id, detail: { versionId: version.id, seq: version.seq, kind: 'manual' } });
		return { saved: true, message: `“${version.name}” is saved.` };
	},
	/** One person's answer to a version: agree, or (the person whose plan it is) do not agree, with a reason. */
	signOff: async (event) => {
		const started = await opening(event);
		if (!('opened' in started)) return started;
		const { opened, form } = started;
		const versionId = form.get('version');
		if (!isUuid(versionId)) return fail(400, { message: 'Please choose a version.' });
		const version = await findPlanVersion(db(), opened.plan.id, versionId);
		if (!version) return fail(404, { message: 'This plan has no such version.' });
		const decision = form.get('decision');
		if (decision !== 'agree' && decision !== 'disagree') return fail(400, { message: 'Please say whether you agree.' });
		let reason: string | null = null;
		if (decision === 'disagree') {
			if (opened.user.id !== opened.plan.serviceUser.id) {
				return fail(403, { message: 'Only the person whose plan it is can record that they do not agree. Talk it through with them and save a new version.' });
			}
			const raw = form.get('reason');
			reason = typeof raw === 'string' ? raw.trim() : '';
			if (reason === '') return fail(400, { message: 'Please say, in your own words, what you do not agree with.', versionId });
			if (reason.length > REASON_MAX) return fail(400, { message: `Please keep it under ${REASON_MAX} characters.`, versionId });
		}
		await recordSignOff(db(), { versionId, userId: opened.user.id, decision, reason });
		await audit(event, { action: 'version.signed_off', targetType: 'plan', targetId: opened.plan.id, detail: { versionId, decision } });
		getLivePlans().involvementChanged(opened.plan.id);
		return { saved: true, message: decision === 'agree' ? `You agreed to “${version.name}”.` : `Your answer on “${version.name}” is saved, with your reason.` };
	}
};
