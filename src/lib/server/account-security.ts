import QRCode from 'qrcode';
import { countUnusedRecoveryCodes, listSecondFactors } from '$db/second-factors';
import type { SessionUser } from '$db/session';
import { secondFactorRequired } from '$lib/shared/sign-in-policy';
import { db } from './db';
import { serverConfig } from './settings';

/** What the pages about a person's second factors show: their factors, recovery codes left, and what the rules ask. */
export async function loadSecondFactors(user: SessionUser) {
	const [factors, recoveryCodesLeft] = await Promise.all([listSecondFactors(db(), user.id), countUnusedRecoveryCodes(db(), user.id)]);
	const config = serverConfig();
	return {
		factors,
		recoveryCodesLeft,
		/** Staff under the policy must keep one: the last cannot be removed. */
		required: secondFactorRequired(user.role, config.signIn.secondFactorPolicy),
		/** Authenticator apps need ENCRYPTION_KEY; without it only passkeys can be set up. */
		authenticatorAvailable: config.encryptionKey !== undefined
	};
}

/** The QR code of an otpauth:// address, as SVG made here (the key never leaves the server for a QR service). */
export function qrCodeSvg(uri: string): Promise<string> {
	return QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
}
