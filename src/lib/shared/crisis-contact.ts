/** A team's out-of-hours / crisis contact as its plans' pages show it, in its administrators' words. */
export interface CrisisContactView {
	name: string;
	phone: string;
	hours: string;
	note: string | null;
}

/** The number as a `tel:` link dials it: digits, and a leading +. */
export function telHref(phone: string): string {
	return `tel:${phone.trim().startsWith('+') ? '+' : ''}${phone.replace(/\D/g, '')}`;
}
