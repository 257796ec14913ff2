import { encodeBase64 } from '@oslojs/encoding';
import { mayChange } from '$commands/plan-access';
import { restoreFromHistory } from '$commands/restore';
import { refused } from '$lib/shared/outcome';
import { wordsFor } from '$lib/shared/outcome-words';
import { refusedAction, refusedPage } from '$lib/server/answers';
import { audit } from '$lib/server/audit';
import { commandContext } from '$lib/server/command-context';
import { readForm } from '$lib/server/forms';
import { findHistoryPoint, planStateAt } from '$lib/server/history/documents';
import { loadAuthors, unknownAuthor } from '$lib/server/history/people';
import { openPlan } from '$lib/server/plan-access';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const opened = await openPlan(event);
	const seq = Number(event.params.seq);
	const version = await findHistoryPoint(opened.plan.id, seq);
	if (!version) refusedPage(refused('version-not-found'));
	const state = encodeBase64(await planStateAt(opened.plan.id, seq));
	const author = version.userId ? ((await loadAuthors([version.userId])).get(version.userId) ?? unknownAuthor(version.userId)) : null;
	await audit(event, { action: 'history.viewed', targetType: 'plan', targetId: opened.plan.id, detail: { view: 'version', seq } });
	return {
		plan: opened.plan,
		version: { seq, at: version.at, author },
		state,
		canRestore: mayChange(opened)
	};
};

export const actions: Actions = {
	restore: async (event) => {
		const form = await readForm(event);
		const outcome = await restoreFromHistory(
			commandContext(event),
			event.params.id,
			Number(event.params.seq),
			form && { target: form.get('target'), confirmed: form.get('confirmed') }
		);
		if (!outcome.ok) return refusedAction(outcome);
		const { code, params, seq } = outcome.value;
		return { restored: true, seq, code, message: wordsFor({ code, params }) };
	}
};
