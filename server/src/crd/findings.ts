// Turns schema and rule violations of a custom resource into findings on the exact key or value,
// worded as what the API server does, each saying which schema judged it.
import { closestRange, isScalarAt, keyRange, valueRange, type ManifestDocument, type ObjectPath, type Offsets } from '../manifest';
import { fixesFor, type Finding, type Fix, type Severity } from '../findings';
import { suggestNames } from '../schema/did-you-mean';
import { fieldPath, valueAt } from '../schema/field-path';
import { typePhrase } from '../schema/type-phrase';
import { yamlScalar } from '../text-edits';
import { fieldErrorText, jsonType, type Violation } from './field-error';

export const CUSTOM_RESOURCE_RULE_ID = 'custom-resource';

export interface FindingContext {
  doc: ManifestDocument;
  kind: string;
  /** describeSource(): "schema from the CRD in `crds/x.yaml`". */
  source: string;
  /** Judged by kdry's bundled snapshot, not the user's CRD: see SNAPSHOT_MAY_BE_OLDER. */
  bundled?: boolean;
}

/**
 * A project's newer CRD adds fields and enum values (External Secrets' `CertificateManager` service,
 * new providers): an unknown field or value by kdry's snapshot (CRDs-catalog, August 2026) may be
 * one the cluster's CRD accepts, so the snapshot warns where the user's own CRD would reject.
 */
const SNAPSHOT_MAY_BE_OLDER =
  " kdry's bundled schema is a snapshot (CRDs-catalog, August 2026): if the cluster's CRD is newer it may accept this; name that CRD with --crds or `crds:` in .kdry/config.yaml to judge by it.";

export function violationFinding(v: Violation, ctx: FindingContext): Finding {
  const rejected = `The API server rejects the object: ${fieldErrorText(v)}`;
  if (v.rule !== undefined) return ruleFinding(v, ctx, rejected);
  switch (v.type) {
    case 'UnknownField':
      return unknownField(v, ctx);
    case 'Required':
      return make(requiredRange(ctx.doc, v.path), `${fieldPath(v.path.slice(0, -1)) || `The ${ctx.kind}`} is missing the required field "${v.path[v.path.length - 1]}". ${rejected}`, ctx);
    case 'TypeInvalid':
      return make(valueRangeOf(ctx.doc, v.path), `${fieldPath(v.path)} must be ${expectedTypePhrase(v.detail)}, but it is ${describeValue(v.value)}. ${rejected}`, ctx, typeFixes(ctx.doc, v));
    case 'NotSupported':
      return notSupported(v, ctx, rejected);
    case 'Duplicate':
      return make(valueRangeOf(ctx.doc, v.path), `${fieldPath(v.path)} repeats an item the list already has (x-kubernetes-list-type). ${rejected}`, ctx);
    default:
      return make((v.at?.key && keyRange(ctx.doc, v.at.path)) || valueRangeOf(ctx.doc, v.at?.path ?? v.path), `${rejected}`, ctx);
  }
}

function ruleFinding(v: Violation, ctx: FindingContext, rejected: string): Finding {
  // On fieldPath when the rule gives one (the key if it exists), else on the object whose rule failed.
  const range = itemAnchor(ctx.doc, v.path) ?? keyRange(ctx.doc, v.path) ?? closestRange(ctx.doc, v.path);
  const why = v.ruleDoesNotCompile ? `The CRD's validation rule \`${v.rule}\` does not compile, so no object passes it` : `It failed the validation rule \`${v.rule}\``;
  return make(range, `${rejected}. ${why}`, ctx);
}

/**
 * An object that is a list item has no key: it is marked by its first key (`- name: item-7`).
 * Its whole range would need the document's YAML tree, built only for that: about 30 ms for a
 * 1,000-line custom resource, on every keystroke while the rule fails (the fast locator reads keys
 * and scalars from the parser's events, not the end of a collection).
 */
function itemAnchor(doc: ManifestDocument, path: ObjectPath): Offsets | undefined {
  if (typeof path[path.length - 1] !== 'number') return undefined;
  const item = valueAt(doc.value, path);
  if (!item || typeof item !== 'object' || Array.isArray(item)) return undefined;
  const first = Object.keys(item)[0];
  return first === undefined ? undefined : keyRange(doc, [...path, first]);
}

function unknownField(v: Violation, ctx: FindingContext): Finding {
  const name = String(v.path[v.path.length - 1]);
  const parent = v.path.slice(0, -1);
  const range = keyRange(ctx.doc, v.path) ?? closestRange(ctx.doc, v.path);
  const present = valueAt(ctx.doc.value, parent);
  const taken = new Set(present && typeof present === 'object' ? Object.keys(present) : []);
  const suggestion = suggestNames(name, Object.keys(v.parent?.properties ?? {}));
  let hint = '';
  let fixes: (() => Fix[]) | undefined;
  if (suggestion.names.length) {
    const required = new Set(v.parent?.required ?? []);
    hint = ` Did you mean ${suggestion.names.map((n) => `"${n}"${taken.has(n) ? ' (already set)' : required.has(n) ? ' (required, missing)' : ''}`).join(' or ')}?`;
    fixes = fixesFor(
      suggestion.names.filter((n) => !taken.has(n)),
      (n) => ({ title: `Rename "${name}" to "${n}"`, edits: [{ range, newText: n }], ...(suggestion.clear ? { preferred: true } : {}) }),
    );
  }
  const where = fieldPath(parent) || `the top level of the ${ctx.kind}`;
  if (ctx.bundled) return make(range, `Unknown field "${name}" in ${where}.${hint} By this schema kubectl apply fails with: ${fieldErrorText(v)}.${SNAPSHOT_MAY_BE_OLDER}`, ctx, fixes, 'warning');
  return make(range, `Unknown field "${name}" in ${where}.${hint} kubectl apply fails with: ${fieldErrorText(v)}.`, ctx, fixes);
}

function notSupported(v: Violation, ctx: FindingContext, rejected: string): Finding {
  const range = valueRangeOf(ctx.doc, v.path);
  const allowed = (v.allowed ?? []).map((a) => String(a));
  const suggestion = typeof v.value === 'string' ? suggestNames(v.value, allowed) : { names: [], clear: false };
  // Whether the value is a plain scalar (which may take the document's tree) is asked on request.
  const offered = fixesFor(suggestion.names, (n) => ({ title: `Change to ${n}`, edits: [{ range, newText: yamlScalar(n) }], ...(suggestion.clear ? { preferred: true } : {}) }));
  const fixes = offered && ((): Fix[] => (isScalarAt(ctx.doc, v.path) ? offered() : []));
  const hint = suggestion.names.length ? ` Did you mean ${suggestion.names.map((n) => `"${n}"`).join(' or ')}?` : '';
  const said = `${describeValue(v.value)} is not a value ${fieldPath(v.path)} allows.${hint}`;
  if (ctx.bundled) return make(range, `${said} By this schema the API server rejects the object: ${fieldErrorText(v)}.${SNAPSHOT_MAY_BE_OLDER}`, ctx, fixes, 'warning');
  return make(range, `${said} ${rejected}`, ctx, fixes);
}

/** Offered from the value and the expected type; built (and the value checked to be a plain scalar) on request. */
function typeFixes(doc: ManifestDocument, v: Violation): (() => Fix[]) | undefined {
  const quote = /of type (string|integer or string):/.test(v.detail) && (typeof v.value === 'number' || typeof v.value === 'boolean');
  const number = /of type (integer|number):/.test(v.detail) && typeof v.value === 'string' && /^-?\d+(\.\d+)?$/.test(v.value.trim());
  if (!quote && !number) return undefined;
  return () => {
    if (!isScalarAt(doc, v.path)) return [];
    const range = valueRangeOf(doc, v.path);
    const text = doc.source.slice(range[0] - doc.offset, range[1] - doc.offset);
    return quote
      ? [{ title: `Quote ${text} as a string`, edits: [{ range, newText: JSON.stringify(text) }], preferred: true }]
      : [{ title: `Use the number ${String(v.value).trim()}`, edits: [{ range, newText: String(v.value).trim() }], preferred: true }];
  };
}

/** The type the API server's detail names (`must be of type integer: "string"`), as a message names it. */
function expectedTypePhrase(detail: string): string {
  return typePhrase(/must be of type (.+): "/.exec(detail)?.[1] ?? '');
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `the ${jsonType(value) === 'boolean' ? 'boolean' : 'number'} ${value}`;
  if (Array.isArray(value)) return 'a list';
  return 'a mapping';
}

function make(range: Offsets, message: string, ctx: FindingContext, fixes?: () => Fix[], severity: Severity = 'error'): Finding {
  const text = `${message} (${ctx.source})`;
  return fixes ? { ruleId: CUSTOM_RESOURCE_RULE_ID, severity, range, message: text, fixes } : { ruleId: CUSTOM_RESOURCE_RULE_ID, severity, range, message: text };
}

/**
 * Where a missing field is reported: the key of the object that lacks it (a list item: its first
 * key, itemAnchor's, without the tree: an item typed into a 1,000-line custom resource's list lacks
 * its required fields at every keystroke until they are typed).
 */
function requiredRange(doc: ManifestDocument, path: ObjectPath): Offsets {
  const parent = path.slice(0, -1);
  return itemAnchor(doc, parent) ?? closestRange(doc, parent.length ? parent : path);
}

function valueRangeOf(doc: ManifestDocument, path: ObjectPath): Offsets {
  return valueRange(doc, path) ?? closestRange(doc, path);
}
