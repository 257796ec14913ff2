import { strToU8, zipSync } from 'fflate';
import type { MyData } from '../commands/my-data.ts';
import { planFhirBundle } from './fhir-bundle.ts';
import { myDataDocument } from './my-data-document.ts';

/** The machine-readable record: codes and ISO times, the same in every language (the README documents it). */
export function myDataJson(data: MyData): unknown {
	return {
		generatedAt: data.generatedAt.toISOString(),
		account: data.account,
		events: data.events.map((event) => ({
			at: event.at.toISOString(),
			action: event.action,
			byMe: event.actorId === data.account.id,
			targetType: event.targetType,
			targetId: event.targetId,
			ip: event.ip,
			detail: event.detail
		})),
		people: [...data.people.values()],
		plans: data.plans.map(({ record, changes, looks, appointments }) => ({
			plan: record.plan,
			careTeam: record.careTeam,
			outline: record.outline,
			versions: record.versions,
			history: [...changes].reverse().map((change) => ({
				seq: change.seq,
				at: change.at.toISOString(),
				userId: change.userId,
				context: change.context,
				sections: change.summary?.sections ?? {},
				goals: change.summary?.goals ?? { added: [], changed: [], removed: [] },
				...(change.summary?.restoredFrom !== undefined ? { restoredFrom: change.summary.restoredFrom } : {})
			})),
			looks: looks.map((look) => ({ at: look.at.toISOString(), action: look.action, userId: look.person?.id ?? null })),
			appointments: appointments.map((appointment) => ({
				id: appointment.id,
				scheduledFor: appointment.scheduledFor.toISOString(),
				place: appointment.place,
				startedAt: appointment.startedAt?.toISOString() ?? null,
				endedAt: appointment.endedAt?.toISOString() ?? null,
				cancelledAt: appointment.cancelledAt?.toISOString() ?? null,
				attendees: appointment.attendees.map((attendee) => attendee.id)
			}))
		}))
	};
}

/** The names of the files in the download. */
export const MY_DATA_FILES = { document: 'everything-about-me.html', json: 'everything-about-me.json', fhir: (index: number) => `plan-${index + 1}.fhir.json` };

/**
 * One ZIP file with everything about a person: the readable document (HTML, in their language), the whole record
 * as JSON, and each of their plans as a FHIR R4 bundle.
 */
export function myDataArchive(data: MyData, options: { baseUrl: string }): Uint8Array {
	const files: Record<string, Uint8Array> = {
		[MY_DATA_FILES.document]: strToU8(myDataDocument(data)),
		[MY_DATA_FILES.json]: strToU8(JSON.stringify(myDataJson(data), null, 2))
	};
	data.plans.forEach((plan, index) => {
		files[MY_DATA_FILES.fhir(index)] = strToU8(
			JSON.stringify(planFhirBundle(plan.record, { baseUrl: options.baseUrl, generatedAt: data.generatedAt }), null, 2)
		);
	});
	return zipSync(files, { level: 6, mtime: data.generatedAt });
}
