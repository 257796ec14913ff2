import { exportCrisisCardPdf } from '$commands/pdf-exports';
import { refusedPage } from '$lib/server/answers';
import { commandContext } from '$lib/server/command-context';
import { requireFreshConfirmation } from '$lib/server/confirmation';
import { pdfDownload } from '$lib/server/pdf-response';
import { m } from '$lib/paraglide/messages';
import type { RequestHandler } from './$types';

/**
 * The plan's crisis card as a PDF: one A4 page, or `?layout=wallet` a card to cut out and fold; every download is
 * recorded. An export: asked again when the person last confirmed who they are over 15 minutes ago.
 */
export const GET: RequestHandler = async (event) => {
	const layout = event.url.searchParams.get('layout') ?? 'page';
	const copy = await exportCrisisCardPdf(commandContext(event, requireFreshConfirmation(event)), event.params.id, layout);
	if (!copy.ok) refusedPage(copy);
	return pdfDownload(copy.value.bytes, m.pdf_crisis_file_name({ day: copy.value.day }));
};
