import { exportPlan } from '$commands/exports';
import { refusedPage } from '$lib/server/answers';
import { commandContext } from '$lib/server/command-context';
import { requireFreshConfirmation } from '$lib/server/confirmation';
import { m } from '$lib/paraglide/messages';
import type { RequestHandler } from './$types';

/**
 * A plain-text copy of the plan as it is now, in the language of the one downloading it; every download is recorded.
 * An export: asked again when the person last confirmed who they are over 15 minutes ago.
 */
export const GET: RequestHandler = async (event) => {
	const copy = await exportPlan(commandContext(event, requireFreshConfirmation(event)), event.params.id);
	if (!copy.ok) refusedPage(copy);
	return new Response(copy.value.text, {
		headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Disposition': `attachment; filename="${m.download_file_name({ day: copy.value.day })}"` }
	});
};
