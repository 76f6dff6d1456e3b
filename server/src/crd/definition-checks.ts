// What the API server refuses a CustomResourceDefinition with, before any custom resource exists
// (apiextensions-apiserver pkg/apis/apiextensions/validation/validation.go,
// ValidateCustomResourceDefinition), for the parts kdry can see offline:
// - a schema that is not structural (pkg/apiserver/schema/validation.go validateStructuralInvariants
//   and the nested value validations; the completeness check is not done);
// - list-type and map-type extensions (ValidateCustomResourceDefinitionOpenAPISchema,
//   validateMapListKeysMapSet: a list-map key must be required or have a default);
// - each x-kubernetes-validations entry: its fields, then its CEL (pkg/apiserver/schema/cel/
//   compilation.go compileRule): a rule that does not parse, reads a field the schema does not
//   declare or an undeclared name, does not evaluate to a bool, a messageExpression that is not a
//   string, oldSelf where the API server cannot correlate old and new, optionalOldSelf without
//   oldSelf, and the estimated cost against StaticEstimatedCostLimit per expression and
//   StaticEstimatedCRDCostLimit per schema (../cel/static-analysis.ts says what the estimate covers).
// As upstream, the CEL checks run only on a schema that is structural, and not at a node whose
// subtree has another schema error.
import { isRecord, type ObjectPath } from '../manifest';
import { isSchema, type StructuralSchema, type ValidationRule } from '../k8s/structural-schema';
import { childCardinality, declTypeOf, unboundedCardinality, type DeclType } from '../cel/decl-type';
import { celLibrary } from '../cel/on-demand';
import { celEnvironment, type CelEnvironment } from '../cel/release-environment';
import type { StaticAnalysis } from '../cel/static-analysis';
import { goValue } from './field-error';

/** validation.go */
export const STATIC_ESTIMATED_COST_LIMIT = 10_000_000;
export const STATIC_ESTIMATED_CRD_COST_LIMIT = 100_000_000;

export interface DefinitionError {
  /** Where in the CRD document (the key or value the error names). */
  path: ObjectPath;
  /** The API server's field path: `spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule`. */
  field: string;
  type: 'Required' | 'Forbidden' | 'Invalid' | 'NotSupported';
  detail: string;
  /** For Invalid and NotSupported: the value as kubectl prints it. */
  value?: string;
  /** For NotSupported. */
  supported?: string[];
}

/** field.Error's text. */
export function definitionErrorText(e: DefinitionError): string {
  switch (e.type) {
    case 'Required':
      return `${e.field}: Required value: ${e.detail}`;
    case 'Forbidden':
      return `${e.field}: Forbidden: ${e.detail}`;
    case 'NotSupported':
      return `${e.field}: Unsupported value: ${e.value}: supported values: ${(e.supported ?? []).map((s) => JSON.stringify(s)).join(', ')}`;
    default:
      return `${e.field}: Invalid value: ${e.value}: ${e.detail}`;
  }
}

const SUPPORTED_REASONS = ['FieldValueDuplicate', 'FieldValueForbidden', 'FieldValueInvalid', 'FieldValueRequired'];
const NEWLINE = /[\n\r]+/;

interface Where {
  path: ObjectPath;
  field: string;
}

// A CRD is user input: every list and map of it is read as what it may not be.
const listOf = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);
const propertiesOf = (s: StructuralSchema): [string, unknown][] => (isRecord(s.properties) ? Object.entries(s.properties) : []);
const stringsOf = (value: unknown): string[] => listOf<unknown>(value).filter((x): x is string => typeof x === 'string');

const at = (w: Where, key: string | number, shown = typeof key === 'number' ? `[${key}]` : `.${key}`): Where => ({ path: [...w.path, key], field: w.field + shown });
const property = (w: Where, name: string): Where => ({ path: [...w.path, 'properties', name], field: `${w.field}.properties[${name}]` });

/**
 * The errors of one CRD document's value; [] when it is not a CRD kdry can read. `release`: the API
 * server's release; the CRD is created, so its rules compile in that release's NewExpressions
 * environment (cel/release-environment.ts). Every library kdry has when absent.
 */
export function checkDefinition(value: unknown, release?: string): DefinitionError[] {
  const env = release === undefined ? undefined : celEnvironment(release, 'new');
  if (!isRecord(value) || !isRecord(value.spec) || !Array.isArray(value.spec.versions)) return [];
  const errors: DefinitionError[] = [];
  value.spec.versions.forEach((version, i) => {
    if (!isRecord(version) || !isRecord(version.schema) || !isSchema(version.schema.openAPIV3Schema)) return;
    const schema = version.schema.openAPIV3Schema as StructuralSchema;
    const where: Where = { path: ['spec', 'versions', i, 'schema', 'openAPIV3Schema'], field: `spec.versions[${i}].schema.openAPIV3Schema` };
    const structural = structuralErrors(schema, 'root', where);
    const schemaErrors = schemaRuleErrors(schema, where);
    errors.push(...schemaErrors, ...structural);
    // No CEL checks on a schema that is not structural (RootCELContext is nil), nor at a node whose
    // subtree already has a schema error (ValidateCustomResourceDefinitionOpenAPISchema: "at this level or deeper").
    const blocked = (field: string) => schemaErrors.some((e) => e.field === field || e.field.startsWith(`${field}.`));
    if (structural.length === 0) errors.push(...celErrors(schema, where, blocked, env));
  });
  return errors;
}

type Level = 'root' | 'item' | 'field';

/** pkg/apiserver/schema/validation.go validateStructuralInvariants (and the nested value validations). */
function structuralErrors(s: StructuralSchema, level: Level, w: Where): DefinitionError[] {
  const out: DefinitionError[] = [];
  if (s.type === 'array' && !isSchema(s.items)) out.push({ ...at(w, 'items'), type: 'Required', detail: 'must be specified' });
  if (isSchema(s.items)) out.push(...structuralErrors(s.items, 'item', at(w, 'items')));
  for (const [name, child] of propertiesOf(s)) if (isSchema(child)) out.push(...structuralErrors(child, 'field', property(w, name)));
  if (s.additionalProperties !== undefined && s.additionalProperties !== true && s.additionalProperties !== false) {
    if (level === 'root') out.push({ ...at(w, 'additionalProperties'), type: 'Forbidden', detail: 'must not be used at the root' });
    if (isSchema(s.additionalProperties)) out.push(...structuralErrors(s.additionalProperties, 'field', at(w, 'additionalProperties')));
  }
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  if (intOrString && preserve) out.push({ ...at(w, 'x-kubernetes-preserve-unknown-fields'), type: 'Invalid', value: 'true', detail: 'must be false if x-kubernetes-int-or-string is true' });
  if (intOrString && embedded) out.push({ ...at(w, 'x-kubernetes-embedded-resource'), type: 'Invalid', value: 'true', detail: 'must be false if x-kubernetes-int-or-string is true' });
  for (const junctor of ['allOf', 'anyOf', 'oneOf'] as const) {
    if (junctor === 'anyOf' && isIntOrStringAnyOf(s.anyOf)) continue;
    listOf<StructuralSchema>(s[junctor]).forEach((nested, i) => {
      if (isSchema(nested) && !(junctor === 'allOf' && i === 0 && isIntOrStringAnyOf(nested.anyOf))) out.push(...nestedErrors(nested, at(at(w, junctor), i)));
    });
  }
  if (isSchema(s.not)) out.push(...nestedErrors(s.not, at(w, 'not')));
  if (embedded && s.type !== 'object') {
    out.push(s.type ? { ...at(w, 'type'), type: 'Invalid', value: goValue(s.type), detail: 'must be object if x-kubernetes-embedded-resource is true' } : { ...at(w, 'type'), type: 'Required', detail: 'must be object if x-kubernetes-embedded-resource is true' });
  } else if (!s.type && !intOrString && !preserve) {
    const detail = level === 'root' ? 'must not be empty at the root' : level === 'item' ? 'must not be empty for specified array items' : 'must not be empty for specified object fields';
    out.push({ ...at(w, 'type'), type: 'Required', detail });
  }
  if (embedded && s.additionalProperties !== undefined) out.push({ ...at(w, 'additionalProperties'), type: 'Forbidden', detail: 'must not be used if x-kubernetes-embedded-resource is set' });
  if (level === 'root' && s.type && s.type !== 'object') out.push({ ...at(w, 'type'), type: 'Invalid', value: goValue(s.type), detail: 'must be object at the root' });
  if (level === 'root' || embedded) {
    for (const [name, want] of [['kind', 'string'], ['apiVersion', 'string'], ['metadata', 'object']] as const) {
      const p = isRecord(s.properties) ? s.properties[name] : undefined;
      if (isSchema(p) && p.type !== want) out.push({ ...at(property(w, name), 'type'), type: 'Invalid', value: goValue(p.type ?? ''), detail: `must be ${want}` });
    }
  }
  const metadata = isRecord(s.properties) ? s.properties.metadata : undefined;
  if (level === 'root' && isSchema(metadata) && !onlyNames(metadata)) {
    out.push({ ...property(w, 'metadata'), type: 'Forbidden', detail: 'must not specify anything other than name and generateName, but metadata is implicitly specified' });
  }
  if (embedded && !preserve && propertiesOf(s).length === 0) out.push({ ...at(w, 'properties'), type: 'Required', detail: 'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields' });
  return out;
}

/** Root metadata may restrict name and generateName only (the rest of it is metav1.ObjectMeta's). */
function onlyNames(metadata: StructuralSchema): boolean {
  const { type: _type, properties, default: _default, ...rest } = metadata;
  const names = isRecord(properties) ? Object.keys(properties) : [];
  if (names.some((n) => n !== 'name' && n !== 'generateName')) return false;
  return Object.keys(rest).length === 0;
}

function isIntOrStringAnyOf(anyOf: StructuralSchema[] | undefined): boolean {
  return Array.isArray(anyOf) && anyOf.length === 2 && isSchema(anyOf[0]) && isSchema(anyOf[1]) && anyOf[0].type === 'integer' && anyOf[1]?.type === 'string' && Object.keys(anyOf[0]).length === 1 && Object.keys(anyOf[1]).length === 1;
}

/** validateNestedValueValidation: inside allOf/anyOf/oneOf/not only value validations may appear. */
function nestedErrors(v: StructuralSchema, w: Where): DefinitionError[] {
  const out: DefinitionError[] = [];
  const forbidden: [keyof StructuralSchema, string][] = [
    ['type', 'must be empty to be structural'],
    ['additionalProperties', 'must be undefined to be structural'],
    ['default', 'must be undefined to be structural'],
    ['description', 'must be empty to be structural'],
    ['nullable', 'must be false to be structural'],
    ['x-kubernetes-preserve-unknown-fields', 'must be false to be structural'],
    ['x-kubernetes-embedded-resource', 'must be false to be structural'],
    ['x-kubernetes-int-or-string', 'must be false to be structural'],
    ['x-kubernetes-list-map-keys', 'must be empty to be structural'],
    ['x-kubernetes-list-type', 'must be undefined to be structural'],
  ];
  for (const [key, detail] of forbidden) {
    const value = v[key];
    if (value === undefined || value === false || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    out.push({ ...at(w, key), type: 'Forbidden', detail });
  }
  if ((v as { title?: string }).title) out.push({ ...at(w, 'title'), type: 'Forbidden', detail: 'must be empty to be structural' });
  if (isRecord(v.properties) && isSchema(v.properties.metadata)) out.push({ ...property(w, 'metadata'), type: 'Forbidden', detail: 'must not be specified in a nested context' });
  if (isSchema(v.items)) out.push(...nestedErrors(v.items, at(w, 'items')));
  for (const [name, child] of propertiesOf(v)) if (isSchema(child)) out.push(...nestedErrors(child, property(w, name)));
  for (const junctor of ['allOf', 'anyOf', 'oneOf'] as const) listOf<StructuralSchema>(v[junctor]).forEach((n, i) => isSchema(n) && out.push(...nestedErrors(n, at(at(w, junctor), i))));
  if (isSchema(v.not)) out.push(...nestedErrors(v.not, at(w, 'not')));
  return out;
}

/** ValidateCustomResourceDefinitionOpenAPISchema's checks of list/map extensions and of each validation rule's fields. */
function schemaRuleErrors(s: StructuralSchema, w: Where): DefinitionError[] {
  const out: DefinitionError[] = [];
  if (isSchema(s.items)) out.push(...schemaRuleErrors(s.items, at(w, 'items')));
  for (const [name, child] of propertiesOf(s)) if (isSchema(child)) out.push(...schemaRuleErrors(child, property(w, name)));
  if (isSchema(s.additionalProperties)) {
    if (propertiesOf(s).length > 0) out.push({ ...at(w, 'additionalProperties'), type: 'Forbidden', detail: 'additionalProperties and properties are mutual exclusive' });
    out.push(...schemaRuleErrors(s.additionalProperties, at(w, 'additionalProperties')));
  }
  const listType = s['x-kubernetes-list-type'];
  const keys = stringsOf(s['x-kubernetes-list-map-keys']);
  if (listType !== undefined && s.type !== 'array') {
    out.push(s.type ? { ...at(w, 'type'), type: 'Invalid', value: goValue(s.type), detail: 'must be array if x-kubernetes-list-type is specified' } : { ...at(w, 'type'), type: 'Required', detail: 'must be array if x-kubernetes-list-type is specified' });
  }
  if (listType !== undefined && !['atomic', 'set', 'map'].includes(listType as string)) out.push({ ...at(w, 'x-kubernetes-list-type'), type: 'NotSupported', detail: '', value: goValue(listType), supported: ['atomic', 'set', 'map'] });
  if (keys.length > 0 && listType === undefined) out.push({ ...at(w, 'x-kubernetes-list-map-keys'), field: `${w.field}.x-kubernetes-list-type`, type: 'Required', detail: 'must be map if x-kubernetes-list-map-keys is non-empty' });
  else if (keys.length > 0 && listType !== 'map') out.push({ ...at(w, 'x-kubernetes-list-type'), type: 'Invalid', value: goValue(listType), detail: 'must be map if x-kubernetes-list-map-keys is non-empty' });
  if (listType === 'map') {
    const items = isSchema(s.items) ? s.items : undefined;
    if (keys.length === 0) out.push({ ...at(w, 'x-kubernetes-list-type'), field: `${w.field}.x-kubernetes-list-map-keys`, type: 'Required', detail: 'must not be empty if x-kubernetes-list-type is map' });
    if (!items) out.push({ ...at(w, 'items'), type: 'Required', detail: 'must have a schema if x-kubernetes-list-type is map' });
    else if (items.type !== 'object') out.push({ ...at(at(w, 'items'), 'type'), type: 'Invalid', value: goValue(items.type ?? ''), detail: "must be object if parent array's x-kubernetes-list-type is map" });
    else {
      const required = new Set(stringsOf(items.required));
      const seen = new Set<string>();
      keys.forEach((key) => {
        const keySchema = isRecord(items.properties) ? items.properties[key] : undefined;
        if (!isSchema(keySchema)) out.push({ ...at(w, 'x-kubernetes-list-map-keys'), type: 'Invalid', value: goValue(keys), detail: 'entries must all be names of item properties' });
        else {
          if (keySchema.type === 'array' || keySchema.type === 'object') out.push({ ...at(property(at(w, 'items'), key), 'type'), type: 'Invalid', value: goValue(items.type), detail: "must be a scalar type if parent array's x-kubernetes-list-type is map" });
          // validateMapListKeysMapSet
          if (!required.has(key) && keySchema.default === undefined) out.push({ ...property(at(w, 'items'), key), field: `${property(at(w, 'items'), key).field}.default`, type: 'Required', detail: 'this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property' });
          if (keySchema.nullable) out.push({ ...at(property(at(w, 'items'), key), 'nullable'), type: 'Forbidden', detail: 'this property is in x-kubernetes-list-map-keys, so it cannot be nullable' });
        }
        if (seen.has(key)) out.push({ ...at(w, 'x-kubernetes-list-map-keys'), type: 'Invalid', value: goValue(keys), detail: 'must not contain duplicate entries' });
        seen.add(key);
      });
    }
  }
  if ((listType === 'set' || listType === 'map') && isSchema(s.items) && s.items.nullable) out.push({ ...at(at(w, 'items'), 'nullable'), type: 'Forbidden', detail: `cannot be nullable when x-kubernetes-list-type is ${listType}` });
  listOf<ValidationRule>(s['x-kubernetes-validations']).forEach((rule, i) => out.push(...ruleFieldErrors(s, rule, at(at(w, 'x-kubernetes-validations'), i))));
  return out;
}

function ruleFieldErrors(s: StructuralSchema, rule: ValidationRule, w: Where): DefinitionError[] {
  const out: DefinitionError[] = [];
  if (!isRecord(rule)) return out;
  const text = typeof rule.rule === 'string' ? rule.rule.trim() : '';
  const message = typeof rule.message === 'string' ? rule.message : '';
  if (!text) out.push({ ...at(w, 'rule'), type: 'Required', detail: 'rule is not specified' });
  else if (message.length > 0 && !message.trim()) out.push({ ...at(w, 'message'), type: 'Invalid', value: goValue(message), detail: 'message must be non-empty if specified' });
  else if (NEWLINE.test(message.trim())) out.push({ ...at(w, 'message'), type: 'Invalid', value: goValue(message), detail: 'message must not contain line breaks' });
  else if (NEWLINE.test(text) && !message.trim()) out.push({ ...at(w, 'rule'), field: `${w.field}.message`, type: 'Required', detail: 'message must be specified if rule contains line breaks' });
  if (typeof rule.messageExpression === 'string' && rule.messageExpression.length > 0 && !rule.messageExpression.trim()) out.push({ ...at(w, 'messageExpression'), type: 'Required', detail: 'messageExpression must be non-empty if specified' });
  if (rule.reason !== undefined && !SUPPORTED_REASONS.includes(rule.reason)) out.push({ ...at(w, 'reason'), type: 'NotSupported', detail: '', value: goValue(rule.reason), supported: SUPPORTED_REASONS });
  if (typeof rule.fieldPath === 'string') {
    if (rule.fieldPath.length > 0 && !rule.fieldPath.trim()) out.push({ ...at(w, 'fieldPath'), type: 'Invalid', value: goValue(rule.fieldPath), detail: 'fieldPath must be non-empty if specified' });
    if (NEWLINE.test(rule.fieldPath)) out.push({ ...at(w, 'fieldPath'), type: 'Invalid', value: goValue(rule.fieldPath), detail: 'fieldPath must not contain line breaks' });
    else if (rule.fieldPath.trim() && !fieldPathValid(s, rule.fieldPath)) out.push({ ...at(w, 'fieldPath'), type: 'Invalid', value: goValue(rule.fieldPath), detail: 'fieldPath must be a valid path' });
  }
  return out;
}

/**
 * cel.ValidFieldPath, for what kdry can tell: each `.name` or `['name']` must be a property the
 * schema declares (or a key of a map); a list index or an open object ends the check.
 */
function fieldPathValid(root: StructuralSchema, path: string): boolean {
  const segment = /\.([A-Za-z_$][\w$-]*)|\['((?:[^'\\]|\\.)*)'\]|\[(\d+)\]/y;
  let schema: StructuralSchema | undefined = root;
  let offset = 0;
  while (offset < path.length) {
    segment.lastIndex = offset;
    const m = segment.exec(path);
    if (!m) return false;
    if (m[3] !== undefined || !schema || schema['x-kubernetes-preserve-unknown-fields']) return true;
    const name = (m[1] ?? m[2]).replace(/\\(.)/g, '$1');
    if (isSchema(schema.additionalProperties)) schema = schema.additionalProperties;
    else if (isRecord(schema.properties) && isSchema(schema.properties[name])) schema = schema.properties[name];
    else return false;
    offset = segment.lastIndex;
  }
  return true;
}

interface RuleCost {
  where: Where;
  cost: number;
}

/** The CEL checks of every rule (compilation.go compileRule) and the schema's total cost. */
function celErrors(root: StructuralSchema, w: Where, blocked: (field: string) => boolean, env: CelEnvironment | undefined): DefinitionError[] {
  const out: DefinitionError[] = [];
  const total = { sum: 0, mostExpensive: [] as RuleCost[] };
  const observe = (where: Where, cost: number) => {
    total.sum += cost;
    // Rules under 1% of the limit are not named (apiextensions validation TotalCost.ObserveExpressionCost).
    if (cost < STATIC_ESTIMATED_CRD_COST_LIMIT / 100) return;
    total.mostExpensive.push({ where, cost });
    total.mostExpensive.sort((a, b) => b.cost - a.cost);
    total.mostExpensive.length = Math.min(total.mostExpensive.length, 4);
  };
  const visit = (s: StructuralSchema, where: Where, cardinality: number | undefined, uncorrelatable: string | undefined, isResourceRoot: boolean) => {
    const decl = declTypeOf(s, isResourceRoot);
    if (!blocked(where.field)) listOf<ValidationRule>(s['x-kubernetes-validations']).forEach((rule, i) => {
      if (isRecord(rule) && typeof rule.rule === 'string' && rule.rule.trim()) out.push(...ruleErrors(rule, decl, at(at(where, 'x-kubernetes-validations'), i), cardinality, uncorrelatable, observe, env));
    });
    // An object's properties correlate by name whatever its x-kubernetes-map-type (cel.MapIsCorrelatable).
    for (const [name, child] of propertiesOf(s)) if (isSchema(child)) visit(child, property(where, name), cardinality, uncorrelatable, child['x-kubernetes-embedded-resource'] === true);
    if (isSchema(s.additionalProperties)) visit(s.additionalProperties, at(where, 'additionalProperties'), childCardinality(cardinality, bound(s.maxProperties)), uncorrelatable, s.additionalProperties['x-kubernetes-embedded-resource'] === true);
    // Only the items of a list-type map are correlated between old and new (x-kubernetes-validations on set or atomic items may not read oldSelf).
    if (isSchema(s.items)) visit(s.items, at(where, 'items'), childCardinality(cardinality, bound(s.maxItems)), s['x-kubernetes-list-type'] === 'map' ? uncorrelatable : (uncorrelatable ?? where.field), s.items['x-kubernetes-embedded-resource'] === true);
  };
  visit(root, w, 1, undefined, true);
  if (total.sum > STATIC_ESTIMATED_CRD_COST_LIMIT) {
    for (const expensive of total.mostExpensive) out.push({ ...expensive.where, type: 'Forbidden', detail: 'contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema' });
    out.push({ ...w, type: 'Forbidden', detail: costMessage('x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema', total.sum, STATIC_ESTIMATED_CRD_COST_LIMIT) });
  }
  return out;
}

/** cel-go's compile errors, each with its caret line; kdry's parser's words, marked as such, where kdry cannot give cel-go's (cel/cel-go-syntax-error.ts). */
function compileErrorText(analysis: StaticAnalysis): string {
  return analysis.errorDisplay ?? `ERROR: ${analysis.syntaxError} (as kdry's CEL parser words it)`;
}

function ruleErrors(rule: ValidationRule, decl: DeclType | undefined, w: Where, cardinality: number | undefined, uncorrelatable: string | undefined, observe: (where: Where, cost: number) => void, env: CelEnvironment | undefined): DefinitionError[] {
  const out: DefinitionError[] = [];
  const ruleAt = at(w, 'rule');
  const shown = ruleValue(rule);
  const { analyseExpression } = celLibrary();
  const analysis = analyseExpression(rule.rule, decl, rule.optionalOldSelf === true, env);
  if (analysis.syntaxError || analysis.typeErrors.length) return [{ ...ruleAt, type: 'Invalid', value: shown, detail: `compilation failed: ${compileErrorText(analysis)}` }];
  if (analysis.resultKind !== 'bool' && analysis.resultKind !== 'unknown') return [{ ...ruleAt, type: 'Invalid', value: shown, detail: 'cel expression must evaluate to a bool' }];
  // The cost of the rule on every node it can run on (getExpressionCost).
  const expressionCost = analysis.maxCost * (cardinality ?? (decl ? unboundedCardinality(decl) : 1));
  if (expressionCost > STATIC_ESTIMATED_COST_LIMIT) out.push({ ...ruleAt, type: 'Forbidden', detail: costMessage('estimated rule cost', expressionCost, STATIC_ESTIMATED_COST_LIMIT) });
  observe(ruleAt, expressionCost);
  if (typeof rule.messageExpression === 'string' && rule.messageExpression.trim()) {
    const messageAt = at(w, 'messageExpression');
    const message = analyseExpression(rule.messageExpression, decl, rule.optionalOldSelf === true, env);
    if (message.syntaxError || message.typeErrors.length) out.push({ ...messageAt, type: 'Invalid', value: shown, detail: `messageExpression compilation failed: ${compileErrorText(message)}` });
    else if (message.resultKind !== 'string' && message.resultKind !== 'unknown') out.push({ ...messageAt, type: 'Invalid', value: shown, detail: 'messageExpression must evaluate to a string' });
    else {
      if (message.maxCost > STATIC_ESTIMATED_COST_LIMIT) out.push({ ...messageAt, type: 'Forbidden', detail: costMessage('estimated messageExpression cost', message.maxCost, STATIC_ESTIMATED_COST_LIMIT) });
      observe(messageAt, message.maxCost);
    }
  }
  if (analysis.readsOldSelf && uncorrelatable !== undefined) out.push({ ...ruleAt, type: 'Invalid', value: goValue(rule.rule), detail: `oldSelf cannot be used on the uncorrelatable portion of the schema within ${uncorrelatable}` });
  else if (!analysis.readsOldSelf && rule.optionalOldSelf !== undefined) out.push({ ...at(w, 'optionalOldSelf'), type: 'Invalid', value: String(rule.optionalOldSelf), detail: 'may not be set if oldSelf is not used in rule' });
  return out;
}

function bound(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** getCostErrorMessage. */
export function costMessage(name: string, cost: number, limit: number): string {
  const factor = cost / limit;
  const shown = factor > 100 ? 'more than 100x' : factor < 1.5 ? `${factor.toFixed(6)}x` : `${factor.toFixed(1)}x`;
  return `${name} exceeds budget by factor of ${shown} (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)`;
}

/** The rule as Go's %#v prints an apiextensions.ValidationRule, its pointers shown as set or nil. */
function ruleValue(rule: ValidationRule): string {
  const q = (s: string | undefined) => JSON.stringify(s ?? '');
  const pointer = (type: string, v: unknown) => (v === undefined ? `(${type})(nil)` : `&${JSON.stringify(v)}`);
  return `apiextensions.ValidationRule{Rule:${q(rule.rule)}, Message:${q(rule.message)}, MessageExpression:${q(rule.messageExpression)}, Reason:${pointer('*apiextensions.FieldValueErrorReason', rule.reason)}, FieldPath:${q(rule.fieldPath)}, OptionalOldSelf:${pointer('*bool', rule.optionalOldSelf)}}`;
}
