import { and, eq, gt } from 'drizzle-orm';
import * as Y from 'yjs';
import { appointment, carePlan, planSignOff, planVersion } from '../db/schema/index.ts';
import { appendPlanUpdates, bindPlanClients, writePlanCheckpoint, type NewPlanUpdate } from '../db/plan-log.ts';
import type { Database } from '../db/types.ts';
import { summariseChanges, summaryOf } from '../src/lib/shared/change-summary.ts';
import { GOALS_FIELD, sectionField, type ChimeDomain, type GoalStatus, type SectionId, type StepOwner } from '../src/lib/shared/plan-sections.ts';

/**
 * Something a person writes in one visit: words at the end of a section or of a goal, or characters removed. A goal's
 * status (active unless given), target date and steps are set when its first words are written.
 */
export type ScriptedWrite =
	| { section: SectionId; text: string }
	| { section: SectionId; removeLast: number }
	| { goal: string; domain: ChimeDomain; text: string; status?: GoalStatus; targetDate?: string; steps?: ScriptedStep[] };

/** A step of a scripted goal, as the goal editor stores one. */
export interface ScriptedStep {
	id: string;
	what: string;
	who: StepOwner;
	done: boolean;
	byWhen?: string;
}

export interface ScriptedVisit {
	at: Date;
	by: string;
	context: 'joint' | 'solo';
	writes: ScriptedWrite[];
	/** The visit was an appointment: one is recorded, started at `at` and ended after the visit with a version. */
	appointment?: { endedBy: string };
}

export interface ScriptedVersion {
	/** Pinned right after this visit (index into `visits`). */
	afterVisit: number;
	name: string;
	kind: 'agreement' | 'manual';
	createdBy: string;
	signOffs: { userId: string; decision: 'agree' | 'disagree'; reason?: string; at: Date }[];
}

export interface ScriptedPlan {
	planId: string;
	visits: ScriptedVisit[];
	versions?: ScriptedVersion[];
}

/**
 * Writes a plan's past as if people had typed it (for the demo, benchmarks and tests whose right answer is known by
 * construction): one logged change per word, each with its author, time, context and summary exactly as the
 * collaboration server stores them, then a checkpoint, versions, sign-offs and appointments.
 */
export async function writeScriptedHistory(db: Database, script: ScriptedPlan): Promise<{ lastSeq: number }> {
	const doc = new Y.Doc();
	summariseChanges(doc);
	const clientOf = new Map<string, number>();
	const rows: NewPlanUpdate[] = [];
	let visit: ScriptedVisit | null = null;
	let at = 0;
	doc.on('update', (update: Uint8Array, _origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) => {
		rows.push({
			planId: script.planId,
			seq: rows.length + 1,
			userId: visit!.by,
			clientId: doc.clientID,
			context: visit!.context,
			update,
			summary: summaryOf(transaction),
			at: new Date(at)
		});
	});
	const goals = new Map<string, Y.Text>();
	const textOf = (section: SectionId): Y.XmlText => {
		const fragment = doc.getXmlFragment(sectionField(section));
		const last = fragment.get(fragment.length - 1);
		if (last instanceof Y.XmlElement && last.get(0) instanceof Y.XmlText) return last.get(0) as Y.XmlText;
		const paragraph = new Y.XmlElement('paragraph');
		const text = new Y.XmlText();
		doc.transact(() => {
			fragment.push([paragraph]);
			paragraph.push([text]);
		});
		return text;
	};
	const seqAfterVisit: number[] = [];
	for (const next of script.visits) {
		visit = next;
		at = next.at.getTime();
		let clientId = clientOf.get(next.by);
		if (clientId === undefined) clientOf.set(next.by, (clientId = 100_000 + clientOf.size));
		doc.clientID = clientId;
		for (const write of next.writes) {
			if ('removeLast' in write) {
				const text = textOf(write.section);
				text.delete(Math.max(0, text.length - write.removeLast), Math.min(write.removeLast, text.length));
				at += 1000;
				continue;
			}
			let target: Y.Text;
			if ('goal' in write) {
				let goal = goals.get(write.goal);
				if (!goal) {
					goal = new Y.Text();
					const map = new Y.Map<unknown>();
					const created = goal;
					doc.transact(() => {
						map.set('id', write.goal);
						map.set('domain', write.domain);
						map.set('status', write.status ?? 'active');
						map.set('targetDate', write.targetDate ?? '');
						map.set('order', goals.size + 1);
						const steps = new Y.Array<Y.Map<unknown>>();
						for (const scripted of write.steps ?? []) {
							const step = new Y.Map<unknown>();
							step.set('id', scripted.id);
							step.set('what', new Y.Text(scripted.what));
							step.set('who', scripted.who);
							step.set('byWhen', scripted.byWhen ?? '');
							step.set('done', scripted.done);
							steps.push([step]);
						}
						map.set('steps', steps);
						map.set('text', created);
						doc.getArray(GOALS_FIELD).push([map]);
					});
					goals.set(write.goal, goal);
				}
				target = goal;
			} else target = textOf(write.section);
			for (const word of write.text.match(/\S+\s*|\s+/g) ?? []) {
				target.insert(target.length, word);
				at += 1500;
			}
		}
		seqAfterVisit.push(rows.length);
	}
	// A plan exists before anyone writes in it: the involvement trend measures only the months since it was created.
	if (script.visits.length > 0) {
		const firstVisitAt = new Date(Math.min(...script.visits.map((scripted) => scripted.at.getTime())));
		await db
			.update(carePlan)
			.set({ createdAt: firstVisitAt })
			.where(and(eq(carePlan.id, script.planId), gt(carePlan.createdAt, firstVisitAt)));
	}
	await bindPlanClients(
		db,
		[...clientOf].map(([userId, clientId]) => ({ planId: script.planId, clientId, userId }))
	);
	await appendPlanUpdates(db, rows);
	if (rows.length > 0) await writePlanCheckpoint(db, script.planId, rows.length, Y.encodeStateAsUpdate(doc));
	doc.destroy();

	for (const [index, scripted] of script.visits.entries()) {
		if (!scripted.appointment) continue;
		const ended = new Date((script.visits[index + 1]?.at.getTime() ?? scripted.at.getTime() + 3600_000) - 60_000);
		const [version] = await db
			.insert(planVersion)
			.values({
				planId: script.planId,
				seq: seqAfterVisit[index]!,
				kind: 'appointment',
				name: null,
				createdBy: scripted.appointment.endedBy,
				createdAt: ended
			})
			.returning();
		await db.insert(appointment).values({
			planId: script.planId,
			scheduledFor: scripted.at,
			createdBy: scripted.appointment.endedBy,
			createdAt: scripted.at,
			startedAt: scripted.at,
			startedBy: scripted.appointment.endedBy,
			endedAt: ended,
			endedBy: scripted.appointment.endedBy,
			versionId: version!.id
		});
	}
	for (const version of script.versions ?? []) {
		const [row] = await db
			.insert(planVersion)
			.values({
				planId: script.planId,
				seq: seqAfterVisit[version.afterVisit]!,
				kind: version.kind,
				name: version.name,
				createdBy: version.createdBy,
				createdAt: version.signOffs[0]?.at ?? script.visits[version.afterVisit]!.at
			})
			.returning();
		for (const signOff of version.signOffs) {
			await db
				.insert(planSignOff)
				.values({ versionId: row!.id, userId: signOff.userId, decision: signOff.decision, reason: signOff.reason ?? null, at: signOff.at });
		}
	}
	return { lastSeq: rows.length };
}
