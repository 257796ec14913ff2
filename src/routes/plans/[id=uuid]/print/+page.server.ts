import { openPrintView } from '$commands/print-views';
import { refusedPage } from '$lib/server/answers';
import { commandContext } from '$lib/server/command-context';
import type { PageServerLoad } from './$types';

// The page opens the plan itself (openPrintView checks who may read it and answers 404 otherwise): the plan
// layout above only adds the crisis contact, which is not printed.
export const load: PageServerLoad = async (event) => {
	const view = await openPrintView(commandContext(event), event.params.id, event.url.searchParams.get('version'));
	if (!view.ok) refusedPage(view);
	return view.value;
};
