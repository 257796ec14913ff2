import { env } from '$env/dynamic/private';
import { readConfig, sessionLimitsOf, type ServerConfig } from '../../../server/config';
import type { SessionLimits } from '$db/session';

let config: ServerConfig | undefined;

/** The installation's settings as the server read them at start (start-up has already refused bad ones). */
export function serverConfig(): ServerConfig {
	config ??= readConfig(env);
	return config;
}

/** When sessions end early (idle staff sessions), under the configured rules. */
export function sessionLimits(): SessionLimits {
	return sessionLimitsOf(serverConfig().signIn);
}

/** The address Chorus is reached at (ORIGIN when set, else this request's): for passkeys and links in copies that leave it. */
export function publicOrigin(event: { url: URL }): string {
	return serverConfig().origin ?? event.url.origin;
}
