import { exportPlanPdf } from '$commands/pdf-exports';
import { refusedPage } from '$lib/server/answers';
import { commandContext } from '$lib/server/command-context';
import { requireFreshConfirmation } from '$lib/server/confirmation';
import { pdfDownload } from '$lib/server/pdf-response';
import { m } from '$lib/paraglide/messages';
import type { RequestHandler } from './$types';

/**
 * The plan as a PDF in the language of the one downloading it: as it is now, or `?version=<id>` as a saved version
 * was; every download is recorded. An export: asked again when the person last confirmed who they are over 15 minutes ago.
 */
export const GET: RequestHandler = async (event) => {
	const version = event.url.searchParams.get('version');
	const copy = await exportPlanPdf(commandContext(event, requireFreshConfirmation(event)), event.params.id, version);
	if (!copy.ok) refusedPage(copy);
	const name = version === null ? m.pdf_file_name({ day: copy.value.day }) : m.pdf_version_file_name({ day: copy.value.day });
	return pdfDownload(copy.value.bytes, name);
};
