import { exportMyData } from '$commands/my-data';
import { refusedPage } from '$lib/server/answers';
import { commandContext } from '$lib/server/command-context';
import { requireFreshConfirmation } from '$lib/server/confirmation';
import { publicOrigin } from '$lib/server/settings';
import { m } from '$lib/paraglide/messages';
import type { RequestHandler } from './$types';

/**
 * Everything Chorus holds about the signed-in person, as one ZIP file (GDPR Art. 15 and 20). An export: asked again
 * when the person last confirmed who they are over 15 minutes ago; every download is recorded.
 */
export const GET: RequestHandler = async (event) => {
	const copy = await exportMyData(commandContext(event, requireFreshConfirmation(event)), { baseUrl: publicOrigin(event) });
	if (!copy.ok) refusedPage(copy);
	return new Response(Buffer.from(copy.value.archive), {
		headers: {
			'Content-Type': 'application/zip',
			'Content-Disposition': `attachment; filename="${m.my_data_file_name({ day: copy.value.day })}"`,
			'Cache-Control': 'no-store'
		}
	});
};
