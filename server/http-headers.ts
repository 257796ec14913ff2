import type { ServerResponse } from 'node:http';

// Pages get a fuller, nonce-based policy from SvelteKit (svelte.config.js), which replaces this one;
// static files and anything else the server answers get this strict default.
const DEFAULT_CSP = "default-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/** Security headers every response carries, set before SvelteKit or the static file server answers. */
export function applyBaselineHeaders(response: ServerResponse, secure: boolean): void {
	response.setHeader('Content-Security-Policy', DEFAULT_CSP);
	response.setHeader('X-Content-Type-Options', 'nosniff');
	response.setHeader('X-Frame-Options', 'DENY');
	response.setHeader('Referrer-Policy', 'same-origin');
	if (secure) response.setHeader('Strict-Transport-Security', 'max-age=63072000; includeSubDomains');
}
