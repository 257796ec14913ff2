import { encodeBase64 } from '@oslojs/encoding';
import { mayChange } from '$commands/plan-access';
import { restoreFromHistory, restoreOffers, undoRestore } from '$commands/restore';
import { refused } from '$lib/shared/outcome';
import { wordsFor } from '$lib/shared/outcome-words';
import type { RestoredPart } from '$lib/shared/plan-notices';
import type { RestorePreviewView } from '$lib/shared/restore-preview';
import { refusedAction, refusedPage } from '$lib/server/answers';
import { audit } from '$lib/server/audit';
import { commandContext } from '$lib/server/command-context';
import { requireFreshConfirmation } from '$lib/server/confirmation';
import { db } from '$lib/server/db';
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
	const canRestore = mayChange(opened);
	let previews: Partial<Record<RestoredPart, RestorePreviewView>> = {};
	let undo: { target: RestoredPart } | null = null;
	if (canRestore) {
		const offers = await restoreOffers(db(), opened.plan.id, seq, opened.user);
		const names = await loadAuthors(Object.values(offers.previews).flatMap((preview) => preview.removesWordsOf));
		previews = Object.fromEntries(
			Object.entries(offers.previews).map(([target, preview]) => [
				target,
				{
					same: preview.same,
					empties: preview.empties,
					fingerprint: preview.fingerprint,
					removesWordsOf: preview.removesWordsOf.map((id) => (names.get(id) ?? unknownAuthor(id)).name),
					ownersWords: preview.removesWordsOf.includes(opened.plan.serviceUser.id),
					parts: preview.parts.map((part) => ({
						part: part.part,
						removed: part.removed.map((line) => line.text),
						added: part.added.map((line) => line.text),
						empties: part.empties
					}))
				}
			])
		);
		undo = offers.undo;
	}
	await audit(event, { action: 'history.viewed', targetType: 'plan', targetId: opened.plan.id, detail: { view: 'version', seq } });
	return {
		plan: opened.plan,
		version: { seq, at: version.at, author },
		state,
		canRestore,
		previews,
		undo
	};
};

export const actions: Actions = {
	/** Sensitive (it replaces what people wrote): asked again when the person last confirmed who they are over 15 minutes ago. */
	restore: async (event) => {
		const context = commandContext(event, requireFreshConfirmation(event));
		const form = await readForm(event);
		const outcome = await restoreFromHistory(
			context,
			event.params.id,
			Number(event.params.seq),
			form && { target: form.get('target'), confirmed: form.get('confirmed'), seen: form.get('seen') }
		);
		if (!outcome.ok) return refusedAction(outcome, { target: String(form?.get('target') ?? '') });
		const { code, params, seq } = outcome.value;
		return { restored: true, seq, code, target: params.target, message: wordsFor({ code, params }) };
	},
	/** Undoes the restore that is change `seq` (the plan page's notice and this page offer it). */
	undo: async (event) => {
		const outcome = await undoRestore(commandContext(event), event.params.id, Number(event.params.seq));
		if (!outcome.ok) return refusedAction(outcome);
		const { code, params, seq } = outcome.value;
		return { undone: true, seq, code, message: wordsFor({ code, params }) };
	}
};
