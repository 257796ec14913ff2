import type { ServerResponse } from 'node:http';

// Pages get a fuller, nonce-based policy from SvelteKit (svelte.config.js), which replaces this one;
// static files and anything else the server answers get this strict default.
const DEFAULT_CSP = "default-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/**
 * The security headers every response carries, in this one place: set before SvelteKit or the static file server
 * answers (by server/app-server.ts, and by the dev server in server/vite-plugin.ts). src/hooks.server.ts adds only
 * what depends on the session (Cache-Control).
 * @param secure whether the request came over https (HSTS is only meaningful there)
 */
export function applyBaselineHeaders(response: ServerResponse, secure: boolean): void {
	response.setHeader('Content-Security-Policy', DEFAULT_CSP);
	response.setHeader('X-Content-Type-Options', 'nosniff');
	response.setHeader('X-Frame-Options', 'DENY');
	response.setHeader('Referrer-Policy', 'same-origin');
	// Passkeys are made and used by our own pages only (allowed for self by default; said here so nobody narrows it by accident).
	response.setHeader(
		'Permissions-Policy',
		'camera=(), microphone=(), geolocation=(), interest-cohort=(), publickey-credentials-create=(self), publickey-credentials-get=(self)'
	);
	response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
	if (secure) response.setHeader('Strict-Transport-Security', 'max-age=63072000; includeSubDomains');
}
