import type { Bundle } from 'fhir/r4';
import type { Outcome } from '../../src/lib/shared/outcome.ts';
import { done } from '../../src/lib/shared/outcome.ts';
import { planFhirBundle } from '../exports/fhir-bundle.ts';
import { auditAs, type CommandContext } from './actor.ts';
import { openPlanRecord, type PlanRecordCode } from './plan-record.ts';

/**
 * The plan as it is now as a FHIR R4 bundle, for anyone who may read it (administrators and the operator are refused
 * as if it did not exist); every export is recorded (`plan.exported`, format fhir). `baseUrl` is the site's address,
 * which names the plan's identifier system.
 */
export async function exportPlanFhir(context: CommandContext, planId: string, baseUrl: string): Promise<Outcome<Bundle, PlanRecordCode>> {
	const opened = await openPlanRecord(context, planId, null);
	if (!opened.ok) return opened;
	const { record } = opened.value;
	const bundle = planFhirBundle(record, { baseUrl, generatedAt: new Date() });
	await auditAs(context, { action: 'plan.exported', targetType: 'plan', targetId: record.plan.id, detail: { format: 'fhir' } });
	return done(bundle);
}
