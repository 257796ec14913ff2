import { mayChange } from '$commands/plan-access';
import { proposeAgreement, saveVersion, signOffVersion } from '$commands/versions';
import { answeredAction, refusedAction, savedAction } from '$lib/server/answers';
import { audit } from '$lib/server/audit';
import { commandContext } from '$lib/server/command-context';
import { mintRequestKey, readForm, withRequestKey } from '$lib/server/forms';
import { loadVersions } from '$lib/server/history/versions';
import { openPlan } from '$lib/server/plan-access';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async (event) => {
	const opened = await openPlan(event);
	const versions = await loadVersions(opened.plan.id, opened.plan.serviceUser.id);
	await audit(event, { action: 'history.viewed', targetType: 'plan', targetId: opened.plan.id, detail: { view: 'versions' } });
	return {
		plan: opened.plan,
		versions,
		me: { id: opened.user.id, isServiceUser: opened.user.id === opened.plan.serviceUser.id },
		canSignOff: mayChange(opened),
		requestKey: mintRequestKey()
	};
};

/** Pinning the plan under a name: saving a version, or marking it as agreed. */
async function pinAction(event: RequestEvent, pin: typeof saveVersion | typeof proposeAgreement) {
	const form = await readForm(event);
	const outcome = await pin(withRequestKey(commandContext(event), form), event.params.id, form && { name: form.get('name') });
	return answeredAction(outcome);
}

export const actions: Actions = {
	/** "Mark as agreed": pins the plan as it is now and records the proposer's own agreement. */
	agree: (event) => pinAction(event, proposeAgreement),
	/** "Save a version": pins the plan as it is now under a name. */
	save: (event) => pinAction(event, saveVersion),
	/** One person's answer to a version: agree, or (the person whose plan it is) do not agree, with a reason. */
	signOff: async (event) => {
		const form = await readForm(event);
		const versionId = form?.get('version');
		const outcome = await signOffVersion(
			withRequestKey(commandContext(event), form),
			event.params.id,
			form && { version: versionId, decision: form.get('decision'), reason: form.get('reason') }
		);
		if (outcome.ok) return savedAction(outcome.value);
		// The reason is asked for again beside the version it was for.
		const reasonRefused = outcome.code === 'sign-off-reason-missing' || outcome.code === 'sign-off-reason-too-long';
		return reasonRefused ? refusedAction(outcome, { versionId: versionId as string }) : refusedAction(outcome);
	}
};
