/**
 * A PDF as a file to keep: `attachment`, so a phone saves it instead of opening a print dialog. The name is given
 * twice, plain ASCII for old clients and the translated name in RFC 5987 form for the rest.
 */
export function pdfDownload(bytes: Uint8Array, fileName: string): Response {
	const ascii = fileName
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/ß/g, 'ss')
		.replace(/[^\x20-\x7e]|["\\]/g, '_');
	return new Response(bytes as BodyInit, {
		headers: {
			'Content-Type': 'application/pdf',
			'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
			'Content-Length': String(bytes.byteLength)
		}
	});
}
