/** The plan an item is about, as the list names it. */
export interface ItemPlan {
	id: string;
	title: string;
	serviceUserName: string;
	/** The plan is the viewer's own. */
	own: boolean;
}

/**
 * One thing waiting for a person, as a code with what its words need (the words are in the page): a version to agree
 * to, changes by others since they last looked, an appointment today, a review due soon or overdue.
 */
export type WaitingItem =
	| { kind: 'agree'; plan: ItemPlan; versionId: string; versionName: string }
	| { kind: 'changes'; plan: ItemPlan; by: string[]; fromSeq: number; lastSeenAt: Date | null; lastChangeAt: Date }
	| { kind: 'appointment-today'; plan: ItemPlan; appointmentId: string; scheduledFor: Date; place: string | null; running: boolean }
	| { kind: 'review'; plan: ItemPlan; reviewDate: string; overdue: boolean };
