/**
 * A validator for the subset of JSON Schema (draft 2020-12) the project's schemas use. It
 * refuses any keyword it does not implement, so a schema cannot silently outgrow it.
 */

export type JsonSchema = boolean | { readonly [keyword: string]: unknown };

export interface SchemaError {
  /** JSON Pointer of the failing value, e.g. `/streams/0/client/kind`. */
  readonly path: string;
  readonly message: string;
}

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', '$comment', 'examples', 'default']);
const KEYWORDS = new Set([
  'type', 'enum', 'const', 'required', 'properties', 'additionalProperties', 'items',
  'minItems', 'maxItems', 'minimum', '$ref', '$defs', 'anyOf', 'oneOf',
]);

type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function typeMatches(type: string, value: unknown): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isPlainObject(value);
    default:
      throw new Error(`json-schema: unsupported type ${type}`);
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

function resolveRef(root: JsonSchema, ref: string): JsonSchema {
  const match = /^#\/\$defs\/([^/]+)$/.exec(ref);
  const defs = isPlainObject(root) ? root.$defs : undefined;
  const target = match && isPlainObject(defs) ? defs[match[1] as string] : undefined;
  if (typeof target !== 'boolean' && !isPlainObject(target)) throw new Error(`json-schema: cannot resolve ${ref}`);
  return target;
}

function check(schema: JsonSchema, value: unknown, path: string, root: JsonSchema, errors: SchemaError[]): void {
  if (schema === true) return;
  if (schema === false) {
    errors.push({ path, message: 'no value is allowed here' });
    return;
  }
  for (const keyword of Object.keys(schema)) {
    if (!KEYWORDS.has(keyword) && !ANNOTATIONS.has(keyword)) throw new Error(`json-schema: unsupported keyword ${keyword} at ${path || '/'}`);
  }
  if (typeof schema.$ref === 'string') check(resolveRef(root, schema.$ref), value, path, root, errors);
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((t) => typeMatches(t, value))) {
      errors.push({ path, message: `expected ${types.join(' or ')}` });
      return;
    }
  }
  if ('const' in schema && !deepEqual(schema.const, value)) errors.push({ path, message: `expected ${JSON.stringify(schema.const)}` });
  if (Array.isArray(schema.enum) && !schema.enum.some((option: unknown) => deepEqual(option, value))) {
    errors.push({ path, message: `${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}` });
  }
  if (typeof schema.minimum === 'number' && typeof value === 'number' && value < schema.minimum) {
    errors.push({ path, message: `below the minimum ${schema.minimum}` });
  }
  for (const keyword of ['anyOf', 'oneOf'] as const) {
    const options = schema[keyword];
    if (!Array.isArray(options)) continue;
    const passing = (options as JsonSchema[]).filter((option) => {
      const nested: SchemaError[] = [];
      check(option, value, path, root, nested);
      return nested.length === 0;
    }).length;
    if (keyword === 'anyOf' ? passing === 0 : passing !== 1) {
      errors.push({ path, message: `${keyword}: ${passing} of ${options.length} alternatives match` });
    }
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) errors.push({ path, message: `fewer than ${schema.minItems} items` });
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) errors.push({ path, message: `more than ${schema.maxItems} items` });
    if (schema.items !== undefined) {
      value.forEach((item, i) => check(schema.items as JsonSchema, item, `${path}/${i}`, root, errors));
    }
  }
  if (isPlainObject(value)) {
    const properties = isPlainObject(schema.properties) ? (schema.properties as Record<string, JsonSchema>) : {};
    if (Array.isArray(schema.required)) {
      for (const name of schema.required as string[]) {
        if (!(name in value)) errors.push({ path, message: `missing required property ${name}` });
      }
    }
    for (const [name, child] of Object.entries(value)) {
      const childPath = `${path}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      const propertySchema = properties[name];
      if (propertySchema !== undefined) check(propertySchema, child, childPath, root, errors);
      else if (schema.additionalProperties !== undefined) check(schema.additionalProperties as JsonSchema, child, childPath, root, errors);
    }
  }
}

/** Validates `value` against `schema`; an empty list means valid. */
export function validate(schema: JsonSchema, value: unknown): SchemaError[] {
  const errors: SchemaError[] = [];
  // Round-trip through JSON first: what is validated is what a consumer would read.
  const json = JSON.parse(JSON.stringify(value)) as Json;
  check(schema, json, '', schema, errors);
  return errors;
}
