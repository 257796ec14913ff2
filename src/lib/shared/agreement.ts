/** One person's answer to "do you agree with this version?". */
export interface SignOffAnswer {
	userId: string;
	name: string;
	role: string;
	decision: 'agree' | 'disagree';
	reason: string | null;
	at: Date;
}

export interface Agreement {
	/** `agreed`: the person whose plan it is and at least one professional agree. */
	status: 'agreed' | 'disagreed' | 'waiting';
	/** The person whose plan it is: their latest answer, if any. */
	serviceUser: SignOffAnswer | null;
	/** Each professional's latest answer. */
	professionals: SignOffAnswer[];
}

/** Where agreement on a version stands; each person's latest answer counts. */
export function agreementOf(signOffs: readonly SignOffAnswer[], serviceUserId: string): Agreement {
	const latest = new Map<string, SignOffAnswer>();
	for (const signOff of [...signOffs].sort((a, b) => a.at.getTime() - b.at.getTime())) latest.set(signOff.userId, signOff);
	const serviceUser = latest.get(serviceUserId) ?? null;
	const professionals = [...latest.values()].filter((answer) => answer.role === 'professional');
	const status =
		serviceUser?.decision === 'disagree'
			? 'disagreed'
			: serviceUser?.decision === 'agree' && professionals.some((answer) => answer.decision === 'agree')
				? 'agreed'
				: 'waiting';
	return { status, serviceUser, professionals };
}
