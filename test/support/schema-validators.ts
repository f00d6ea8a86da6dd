import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import AjvDraft04 from 'ajv-draft-04';

/**
 * The exports' schemas, checked by ajv (a complete JSON Schema implementation) in strict mode:
 * our report schema and the HAR 1.2 schema are draft 2020-12; SARIF is the full official
 * 2.1.0-rtm.5 schema (draft-04), as @microsoft/jest-sarif ships it, formats, patterns and
 * uniqueItems included.
 */

const require = createRequire(import.meta.url);
const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

export const SARIF_SCHEMA_PATH = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
const REPORT_SCHEMA_PATH = new URL('../../schema/report.schema.json', import.meta.url).pathname;
const HAR_SCHEMA_PATH = new URL('../fixtures/schemas/har-1.2.schema.json', import.meta.url).pathname;

// ajv-formats is not installed, so the three formats the SARIF schema uses are defined here: URIs
// by RFC 3986's grammar (appendix A; IP literals loosely), date-time by RFC 3339. Without them
// ajv's strict mode refuses the schema, and `validateFormats: false` would let a malformed URI in.
const PCT = '%[0-9A-Fa-f]{2}';
const PCHAR = `(?:[A-Za-z0-9\\-._~!$&'()*+,;=:@]|${PCT})`;
const SEGMENT_NZ_NC = `(?:[A-Za-z0-9\\-._~!$&'()*+,;=@]|${PCT})+`;
const AUTHORITY = `(?:(?:[A-Za-z0-9\\-._~!$&'()*+,;=:]|${PCT})*@)?(?:\\[[0-9A-Fa-fvV:.]+\\]|(?:[A-Za-z0-9\\-._~!$&'()*+,;=]|${PCT})*)(?::[0-9]*)?`;
const QUERY_AND_FRAGMENT = `(?:\\?(?:${PCHAR}|[/?])*)?(?:#(?:${PCHAR}|[/?])*)?`;
const ABSOLUTE_URI = new RegExp(`^[A-Za-z][A-Za-z0-9+.-]*:(?://${AUTHORITY}(?:/${PCHAR}*)*|/?(?:${PCHAR}+(?:/${PCHAR}*)*)?)${QUERY_AND_FRAGMENT}$`);
const RELATIVE_REFERENCE = new RegExp(`^(?://${AUTHORITY}(?:/${PCHAR}*)*|/(?:${PCHAR}+(?:/${PCHAR}*)*)?|${SEGMENT_NZ_NC}(?:/${PCHAR}*)*)?${QUERY_AND_FRAGMENT}$`);
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
export const FORMATS = {
  uri: (value: string) => ABSOLUTE_URI.test(value),
  'uri-reference': (value: string) => ABSOLUTE_URI.test(value) || RELATIVE_REFERENCE.test(value),
  'date-time': (value: string) => DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)),
};

function compile2020(path: string): ValidateFunction {
  // Union types (`["string", "null"]`) are plain JSON Schema; strict mode only asks to opt in.
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true, formats: FORMATS });
  return ajv.compile(readJson(path));
}

function compileSarif(): ValidateFunction {
  // The SARIF schema is draft-04 (`id`, not `$id`), which Ajv2020 does not read. Two of strict
  // mode's checks flag legal patterns the official schema uses, so they are off: `anyOf` branches
  // that require properties declared one level up (strictRequired), and `minimum` without a
  // `type` beside it (strictTypes). Its `language` pattern (`...]?$`, a stray bracket) is legal
  // ECMA-262 only without the `u` flag, so patterns are compiled as plain RegExps.
  const ajv = new AjvDraft04({
    strict: true, strictRequired: false, strictTypes: false, unicodeRegExp: false, allErrors: true, formats: FORMATS,
  });
  return ajv.compile(readJson(SARIF_SCHEMA_PATH));
}

const describeError = (error: ErrorObject): string => `${error.instancePath || '/'} ${error.message ?? error.keyword}`;

function validatorOf(compile: () => ValidateFunction): (value: unknown) => string[] {
  let validateFunction: ValidateFunction | undefined;
  return (value) => {
    validateFunction ??= compile();
    // Round-trip through JSON: what is validated is what a consumer reads.
    return validateFunction(JSON.parse(JSON.stringify(value))) ? [] : (validateFunction.errors ?? []).map(describeError);
  };
}

/** Errors of `value` against schema/report.schema.json ("<JSON pointer> <message>"); empty when valid. */
export const reportSchemaErrors = validatorOf(() => compile2020(REPORT_SCHEMA_PATH));
/** Errors of `value` against the full SARIF 2.1.0-rtm.5 schema; empty when valid. */
export const sarifSchemaErrors = validatorOf(compileSarif);
/** Errors of `value` against the HAR 1.2 schema in test/fixtures/schemas; empty when valid. */
export const harSchemaErrors = validatorOf(() => compile2020(HAR_SCHEMA_PATH));
