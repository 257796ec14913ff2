import { crisisCardLayout, openCrisisCard } from '$commands/print-views';
import { refusedPage } from '$lib/server/answers';
import { commandContext } from '$lib/server/command-context';
import type { PageServerLoad } from './$types';

// The page opens the plan itself (openCrisisCard checks who may read it and answers 404 otherwise).
export const load: PageServerLoad = async (event) => {
	const card = await openCrisisCard(commandContext(event), event.params.id, crisisCardLayout(event.url.searchParams.get('layout')));
	if (!card.ok) refusedPage(card);
	return card.value;
};
