// Validates a custom resource against its version's structural schema the way the API server
// does (apiextensions-apiserver: validation.ValidateCustomResource through kube-openapi's
// validator, objectmeta.Validate for embedded resources, listtype.ValidateListSetsAndMaps), and
// collects the nodes whose x-kubernetes-validations the CEL pass evaluates afterwards.
import { isRecord, type ObjectPath } from '../manifest';
import { fieldPath } from '../schema/field-path';
import { isDNS1035Label, isDNS1123Label, isQualifiedName, isValidLabelValue, isValidPathSegmentName } from '../k8s/validation';
import { jsonType, type Violation } from './field-error';
import { matchesFormat } from '../k8s/string-formats';
import { isMultipleOf } from './multiple-of';
import { preservesUnknownFields, propertySchema, type StructuralSchema } from '../k8s/structural-schema';

/** A node with CEL rules, and the value they see there (defaults applied). */
export interface RuleSite {
  path: ObjectPath;
  value: unknown;
  schema: StructuralSchema;
}

export interface SchemaResult {
  violations: Violation[];
  sites: RuleSite[];
  /** Only value validations (a combinator branch): no unknown fields, no rule sites. */
  valuesOnly?: boolean;
}

/** metav1.ObjectMeta's fields: anything else under metadata fails strict decoding. */
const OBJECT_META_FIELDS = new Set([
  'name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp',
  'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields',
]);
const TYPE_META_FIELDS = ['apiVersion', 'kind'];

/** Validates a whole custom resource (value already defaulted, see defaults.ts). */
export function validateResource(value: unknown, schema: StructuralSchema): SchemaResult {
  const result: SchemaResult = { violations: [], sites: [] };
  walk(value, schema, [], result, 'root');
  return result;
}

type Level = 'root' | 'embedded' | 'nested';

/**
 * What a collection's subtree contributed, per schema node and value object: a keystroke patched
 * into a large resource (manifest/incremental.ts, defaults.ts) leaves every other subtree the same
 * object at the same path, whose findings are then taken as they were instead of walked again.
 */
interface Walked {
  path: ObjectPath;
  level: Level;
  violations: readonly Violation[];
  sites: readonly RuleSite[];
}
const walkedBySchema = new WeakMap<StructuralSchema, WeakMap<object, Walked>>();
const NONE: readonly never[] = [];

function walk(value: unknown, schema: StructuralSchema, path: ObjectPath, out: SchemaResult, level: Level = 'nested'): void {
  if (value === null || value === undefined) return; // nullable, or pruned before validation
  if (typeof value !== 'object' || out.valuesOnly) {
    walkNode(value, schema, path, out, level);
    return;
  }
  const byValue = walkedBySchema.get(schema);
  const known = byValue?.get(value);
  if (known && known.level === level && samePath(known.path, path)) {
    for (const v of known.violations) out.violations.push(v);
    for (const site of known.sites) out.sites.push(site);
    return;
  }
  const [violationsBefore, sitesBefore, walkedBefore] = [out.violations.length, out.sites.length, walkedCollections++];
  walkNode(value, schema, path, out, level);
  // Small subtrees are not remembered: an entry costs more than walking them again.
  if (walkedCollections - walkedBefore < REMEMBERED_FROM_NODES) return;
  const slice = <T>(all: T[], from: number): readonly T[] => (all.length === from ? NONE : all.slice(from));
  const walked: Walked = { path, level, violations: slice(out.violations, violationsBefore), sites: slice(out.sites, sitesBefore) };
  if (byValue) byValue.set(value, walked);
  else walkedBySchema.set(schema, new WeakMap([[value, walked]]));
}

/** Collections walked so far: a subtree's count is its size. */
let walkedCollections = 0;
/** A subtree of fewer collections is walked again rather than remembered. */
const REMEMBERED_FROM_NODES = 16;

function samePath(a: ObjectPath, b: ObjectPath): boolean {
  if (a.length !== b.length) return false;
  for (let i = a.length - 1; i >= 0; i--) if (a[i] !== b[i]) return false;
  return true;
}

function walkNode(value: unknown, schema: StructuralSchema, path: ObjectPath, out: SchemaResult, level: Level): void {
  // Built only for a violation: most nodes have none.
  const name = () => fieldPath(path) || '<root>';
  if (!typeMatches(value, schema)) {
    const expected = schema['x-kubernetes-int-or-string'] ? 'integer or string' : schema.type;
    out.violations.push({ type: 'TypeInvalid', path, value, detail: `${name()} in body must be of type ${expected}: "${jsonType(value)}"` });
    return;
  }
  if (schema.enum && !schema.enum.some((allowed) => sameValue(allowed, value))) out.violations.push({ type: 'NotSupported', path, value, detail: '', allowed: schema.enum });
  if (typeof value === 'string') stringChecks(value, schema, path, name, out);
  else if (typeof value === 'number') numberChecks(value, schema, path, name, out);
  else if (Array.isArray(value)) arrayChecks(value, schema, path, name, out);
  else objectChecks(value as Record<string, unknown>, schema, path, name, out, level);
  if (schema.allOf?.length) combinator('allOf', schema.allOf, value, path, name, out);
  if (schema.anyOf?.length) combinator('anyOf', schema.anyOf, value, path, name, out);
  if (schema.oneOf?.length) combinator('oneOf', schema.oneOf, value, path, name, out);
  if (schema.not && validateAlone(value, schema.not).length === 0) out.violations.push({ type: 'Invalid', path, value, detail: `${name()} in body must not validate the schema (not)` });
  if (schema['x-kubernetes-validations']?.length && !out.valuesOnly) out.sites.push({ path, value, schema });
}

function typeMatches(value: unknown, schema: StructuralSchema): boolean {
  if (schema['x-kubernetes-int-or-string']) return typeof value === 'string' || Number.isInteger(value);
  switch (schema.type) {
    case 'object':
      return typeof value === 'object' && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return true;
  }
}

function stringChecks(value: string, schema: StructuralSchema, path: ObjectPath, name: () => string, out: SchemaResult): void {
  // Lengths count Unicode code points (kube-openapi's validate uses utf8.RuneCountInString).
  const length = [...value].length;
  if (schema.maxLength !== undefined && length > schema.maxLength) out.violations.push({ type: 'TooLong', path, value, detail: `may not be more than ${schema.maxLength} bytes` });
  if (schema.minLength !== undefined && length < schema.minLength) out.violations.push({ type: 'Invalid', path, value, detail: `${name()} in body should be at least ${schema.minLength} chars long` });
  if (schema.pattern !== undefined && patternOf(schema.pattern)?.test(value) === false) out.violations.push({ type: 'Invalid', path, value, detail: `${name()} in body should match '${schema.pattern}'` });
  if (schema.format && !matchesFormat(schema.format, value)) out.violations.push({ type: 'Invalid', path, value, detail: `${name()} in body must be of type ${schema.format}: ${JSON.stringify(value)}` });
}

const patterns = new Map<string, RegExp | undefined>();

/** ECMA-262 patterns (as OpenAPI says), compiled once; one that JS cannot compile checks nothing. */
function patternOf(source: string): RegExp | undefined {
  if (!patterns.has(source)) {
    let re: RegExp | undefined;
    try {
      re = new RegExp(source, 'u');
    } catch {
      try {
        re = new RegExp(source);
      } catch {
        re = undefined;
      }
    }
    patterns.set(source, re);
  }
  return patterns.get(source);
}

function numberChecks(value: number, schema: StructuralSchema, path: ObjectPath, name: () => string, out: SchemaResult): void {
  const push = (detail: string) => out.violations.push({ type: 'Invalid', path, value, detail: `${name()} in body ${detail}` });
  if (schema.minimum !== undefined) {
    if (schema.exclusiveMinimum ? value <= schema.minimum : value < schema.minimum) push(`should be greater than ${schema.exclusiveMinimum ? '' : 'or equal to '}${schema.minimum}`);
  }
  if (schema.maximum !== undefined) {
    if (schema.exclusiveMaximum ? value >= schema.maximum : value > schema.maximum) push(`should be less than ${schema.exclusiveMaximum ? '' : 'or equal to '}${schema.maximum}`);
  }
  if (schema.multipleOf && !isMultipleOf(value, schema.multipleOf)) push(`should be a multiple of ${schema.multipleOf}`);
}

function arrayChecks(value: unknown[], schema: StructuralSchema, path: ObjectPath, name: () => string, out: SchemaResult): void {
  if (schema.maxItems !== undefined && value.length > schema.maxItems) out.violations.push({ type: 'TooMany', path, value, detail: `${value.length}: must have at most ${schema.maxItems} items` });
  if (schema.minItems !== undefined && value.length < schema.minItems) out.violations.push({ type: 'Invalid', path, value, detail: `${name()} in body should have at least ${schema.minItems} items` });
  if (schema.uniqueItems) {
    const seen = new Set<string>();
    for (const item of value) {
      const key = canonical(item);
      if (seen.has(key)) {
        out.violations.push({ type: 'Duplicate', path, value, detail: `${name()} in body shouldn't contain duplicates` });
        break;
      }
      seen.add(key);
    }
  }
  // objectmeta/validation.go validate: an item marked x-kubernetes-embedded-resource is an object of its own.
  if (schema.items) walkItems(value, schema.items, path, out);
  listTypeChecks(value, schema, path, out);
}

/**
 * A long list's items as walked last at a path, per item schema: a keystroke patched into one item
 * (manifest/incremental.ts) makes a new list holding the other items as they were, so an item that
 * is the same value at the same index contributes what it did then, without being walked again
 * (an Argo Rollout's 600 canary steps, a Fleet's 200 items: one walked instead of all). The walk
 * of an item depends only on its value, its schema, its path and its level, which all match.
 */
interface WalkedItems {
  items: readonly unknown[];
  violations: (readonly Violation[])[];
  sites: (readonly RuleSite[])[];
}
const itemsBySchema = new WeakMap<StructuralSchema, Map<string, WalkedItems>>();
/** Lists shorter than this are walked item by item: the record costs more than it saves. */
const REMEMBERED_FROM_ITEMS = 16;
/** Paths remembered per item schema (a file of many such resources overwrites its entries). */
const PATHS_PER_SCHEMA = 64;

function walkItems(value: readonly unknown[], schema: StructuralSchema, path: ObjectPath, out: SchemaResult): void {
  // objectmeta/validation.go validate: an item marked x-kubernetes-embedded-resource is an object of its own.
  const level = schema['x-kubernetes-embedded-resource'] ? 'embedded' : 'nested';
  if (value.length < REMEMBERED_FROM_ITEMS || out.valuesOnly) {
    for (let i = 0; i < value.length; i++) walk(value[i], schema, [...path, i], out, level);
    return;
  }
  let byPath = itemsBySchema.get(schema);
  if (!byPath) itemsBySchema.set(schema, (byPath = new Map()));
  const key = path.join('\u0000');
  const last = byPath.get(key);
  const walked: WalkedItems = { items: value, violations: new Array(value.length), sites: new Array(value.length) };
  for (let i = 0; i < value.length; i++) {
    const item = value[i];
    if (last && i < last.items.length && last.items[i] === item) {
      // Plain reads (no destructuring): the first edits run this loop unoptimised, where a pattern iterates.
      const violations = last.violations[i];
      const sites = last.sites[i];
      for (let k = 0; k < violations.length; k++) out.violations.push(violations[k]);
      for (let k = 0; k < sites.length; k++) out.sites.push(sites[k]);
      walked.violations[i] = violations;
      walked.sites[i] = sites;
      // Counted as walked, so a list of remembered items is remembered as a subtree (walk).
      if (typeof item === 'object' && item !== null) walkedCollections++;
      continue;
    }
    const violationsBefore = out.violations.length;
    const sitesBefore = out.sites.length;
    walk(item, schema, [...path, i], out, level);
    walked.violations[i] = out.violations.length === violationsBefore ? NONE : out.violations.slice(violationsBefore);
    walked.sites[i] = out.sites.length === sitesBefore ? NONE : out.sites.slice(sitesBefore);
  }
  if (!last && byPath.size >= PATHS_PER_SCHEMA) byPath.clear();
  byPath.set(key, walked);
}

/**
 * x-kubernetes-list-type set: items unique; map: items unique by their map keys
 * (apiserver/schema/listtype/validation.go, validateListSetsAndMapsArray): the duplicate is
 * reported on the later item.
 */
function listTypeChecks(value: unknown[], schema: StructuralSchema, path: ObjectPath, out: SchemaResult): void {
  const listType = schema['x-kubernetes-list-type'];
  if (listType !== 'set' && listType !== 'map') return;
  const keys = schema['x-kubernetes-list-map-keys'] ?? [];
  const seen = new Set<string>();
  value.forEach((item, i) => {
    if (listType === 'map' && (item === null || typeof item !== 'object' || Array.isArray(item))) return;
    const record = item as Record<string, unknown>;
    // A missing key takes its default (defaults.ts already applied it) or stays absent (''). Map
    // keys are scalars, whose canonical forms delimit themselves: joined, they tell items apart as
    // the identity objects would, without building one per item on every check.
    const key = listType === 'map' ? keys.map((k) => (record[k] === undefined ? '' : canonical(record[k]))).join(',') : canonical(item);
    if (seen.has(key)) {
      const identity = listType === 'map' ? Object.fromEntries(keys.filter((k) => record[k] !== undefined).map((k) => [k, record[k]])) : item;
      out.violations.push({ type: 'Duplicate', path: [...path, i], value: identity, detail: '' });
    }
    seen.add(key);
  });
}

function objectChecks(value: Record<string, unknown>, schema: StructuralSchema, path: ObjectPath, name: () => string, out: SchemaResult, level: Level): void {
  const keys = Object.keys(value);
  if (schema.maxProperties !== undefined && keys.length > schema.maxProperties) out.violations.push({ type: 'TooMany', path, value, detail: `${keys.length}: must have at most ${schema.maxProperties} items` });
  if (schema.minProperties !== undefined && keys.length < schema.minProperties) out.violations.push({ type: 'Invalid', path, value, detail: `${name()} in body should have at least ${schema.minProperties} properties` });
  for (const required of schema.required ?? []) {
    if (value[required] === undefined || value[required] === null) out.violations.push({ type: 'Required', path: [...path, required], detail: '', parent: schema });
  }
  const resource = level !== 'nested';
  if (level === 'embedded') embeddedResourceChecks(value, path, out);
  const preserve = preservesUnknownFields(schema) || schema.additionalProperties === true;
  for (const key of keys) {
    if (resource && TYPE_META_FIELDS.includes(key)) continue;
    if (resource && key === 'metadata') {
      metadataChecks(value.metadata, schema.properties?.metadata, [...path, 'metadata'], out);
      continue;
    }
    const child = propertySchema(schema, key);
    if (child) walk(value[key], child, [...path, key], out, child['x-kubernetes-embedded-resource'] ? 'embedded' : 'nested');
    else if (!preserve && !out.valuesOnly) out.violations.push({ type: 'UnknownField', path: [...path, key], detail: '', parent: schema });
  }
}

/** ObjectMeta: unknown keys fail strict decoding; the CRD may constrain name and generateName. */
function metadataChecks(value: unknown, schema: StructuralSchema | undefined, path: ObjectPath, out: SchemaResult): void {
  if (value === null || value === undefined) return;
  if (typeof value !== 'object' || Array.isArray(value)) {
    out.violations.push({ type: 'TypeInvalid', path, value, detail: `${fieldPath(path)} in body must be of type object: "${jsonType(value)}"` });
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    if (!OBJECT_META_FIELDS.has(key)) out.violations.push({ type: 'UnknownField', path: [...path, key], detail: '', parent: { properties: Object.fromEntries([...OBJECT_META_FIELDS].map((f) => [f, {}])) } });
    else if ((key === 'name' || key === 'generateName') && schema?.properties?.[key]) walk(child, schema.properties[key], [...path, key], out);
  }
}

/**
 * x-kubernetes-embedded-resource: the object is a Kubernetes object of its own, so it needs
 * apiVersion and kind (apiserver/schema/objectmeta/validation.go, validateEmbeddedResource).
 */
function embeddedResourceChecks(value: Record<string, unknown>, path: ObjectPath, out: SchemaResult): void {
  for (const key of TYPE_META_FIELDS) {
    const v = value[key];
    // field.Required(path, "") only when the key is missing: kubectl prints "Required value" alone.
    if (v === undefined) out.violations.push({ type: 'Required', path: [...path, key], detail: '' });
    else if (typeof v !== 'string') out.violations.push({ type: 'Invalid', path: [...path, key], value: v, detail: 'must be a string' });
    // An empty string is Required as well (blocking: the CEL rules do not run).
    else if (v === '') out.violations.push({ type: 'Required', path: [...path, key], detail: '' });
    else if (key === 'kind') {
      const errors = isDNS1035Label(v.toLowerCase());
      if (errors.length) out.violations.push({ type: 'Invalid', path: [...path, key], value: v, detail: `may have mixed case, but should otherwise match: ${errors.join(',')}` });
    } else if (v.split('/').length > 2) out.violations.push({ type: 'Invalid', path: [...path, key], value: v, detail: `unexpected GroupVersion string: ${v}` });
  }
  if (isRecord(value.metadata)) embeddedObjectMeta(value.metadata, [...path, 'metadata'], out);
}

/**
 * validateEmbeddedResource's metavalidation.ValidateObjectMeta(meta, namespaced when it names a
 * namespace, path.ValidatePathSegmentName): the name and generateName as path segments (no '/' or
 * '%', the name not '.' or '..'), the namespace a DNS-1123 label, label keys and annotation keys
 * qualified names and label values valid (ValidateLabels and ValidateAnnotations report on the map's
 * path; kdry underlines the key or value). An empty name is allowed (upstream sets "fakename").
 */
function embeddedObjectMeta(meta: Record<string, unknown>, path: ObjectPath, out: SchemaResult): void {
  const invalid = (field: string, value: string, errors: string[], at?: { path: ObjectPath; key?: boolean }) => {
    for (const detail of errors) out.violations.push({ type: 'Invalid', path: [...path, field], value, detail, ...(at ? { at } : {}) });
  };
  if (typeof meta.name === 'string' && meta.name !== '') invalid('name', meta.name, isValidPathSegmentName(meta.name));
  if (typeof meta.generateName === 'string') invalid('generateName', meta.generateName, isValidPathSegmentName(meta.generateName).filter((e) => e.startsWith('may not contain')));
  if (typeof meta.namespace === 'string' && meta.namespace !== '') invalid('namespace', meta.namespace, isDNS1123Label(meta.namespace));
  if (isRecord(meta.labels))
    for (const [key, v] of Object.entries(meta.labels)) {
      invalid('labels', key, isQualifiedName(key), { path: [...path, 'labels', key], key: true });
      if (typeof v === 'string') invalid('labels', v, isValidLabelValue(v), { path: [...path, 'labels', key] });
    }
  if (isRecord(meta.annotations)) for (const key of Object.keys(meta.annotations)) invalid('annotations', key, isQualifiedName(key.toLowerCase()), { path: [...path, 'annotations', key], key: true });
}

function combinator(keyword: 'allOf' | 'anyOf' | 'oneOf', branches: StructuralSchema[], value: unknown, path: ObjectPath, name: () => string, out: SchemaResult): void {
  const failing = branches.map((b) => validateAlone(value, b, path));
  const passed = failing.filter((f) => f.length === 0).length;
  if (keyword === 'allOf') for (const f of failing) out.violations.push(...f);
  else if (keyword === 'anyOf' && passed === 0) out.violations.push({ type: 'Invalid', path, value, detail: `${name()} in body must validate at least one schema (anyOf)` });
  else if (keyword === 'oneOf' && passed !== 1) out.violations.push({ type: 'Invalid', path, value, detail: `${name()} in body must validate one and only one schema (oneOf)` });
}

/** Value validations of a combinator branch (structural schemas keep types out of branches, so no unknown fields). */
function validateAlone(value: unknown, schema: StructuralSchema, path: ObjectPath = []): Violation[] {
  const result: SchemaResult = { violations: [], sites: [], valuesOnly: true };
  walk(value, schema, path, result);
  return result.violations;
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || canonical(a) === canonical(b);
}

/** Order-independent JSON for objects, to compare values as Go's DeepEqual would. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}
