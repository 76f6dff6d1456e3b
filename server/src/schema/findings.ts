// Turns one schema error (validate-value.ts) into a finding on the exact key or value, worded as what Kubernetes does.
import { isMap, isScalar } from 'yaml';
import { keyRange, valueRange, closestRange, isScalarAt, nodeAt, type ManifestDocument, type ObjectPath, type Offsets } from '../manifest';
import { SCHEMA } from '../builtin-checks';
import { fixesFor, type Finding, type Fix } from '../findings';
import type { RawSchema, SchemaCatalog } from './catalog';
import { BUNDLED_RELEASES } from './bundled-releases';
import { FIELD_RELEASES } from './generated/releases';
import { compareVersions } from '../k8s/release-version';
import type { KubernetesTarget } from './target';
import { gatedUse } from './feature-gates';
import { gateStage } from '../k8s/feature-gates';
import { suggestNames } from './did-you-mean';
import { fieldHome } from './field-home';
import { fieldPath, pointerToPath, valueAt } from './field-path';
import { isPercent } from './formats';
import { typeName } from './lookup';
import { typePhrase } from './type-phrase';
import type { SchemaError } from './validate-value';

export interface ErrorContext {
  doc: ManifestDocument;
  kindKey: string;
  /** The release checked for, and the schemas that stand for it. */
  target: KubernetesTarget;
  catalog: SchemaCatalog;
}

/** The finding for `error`, or undefined when Kubernetes would accept the value (e.g. null). */
export function errorToFinding(error: SchemaError, ctx: ErrorContext): Finding | undefined {
  const path = pointerToPath(error.instancePath, ctx.doc.value);
  switch (error.keyword) {
    case 'additionalProperties':
      return unknownField(ctx, path, String(error.params.additionalProperty), error.params.definition);
    case 'required':
      return missingField(ctx, path, String(error.params.missingProperty));
    case 'type':
      return wrongType(ctx, path, error.params.type as string | string[]);
    case 'enum':
      // A value the release drops with its field (gate off by default) is not validated: the gate's note says so.
      if (error.params.gated && droppedByRelease(ctx, error.params.gated, path)) return undefined;
      return notAllowed(ctx, path, error.params.allowedValues as unknown[]);
    case 'format':
      return badFormat(ctx, path, String(error.params.format));
    case 'deprecated':
      return deprecatedField(ctx, path, String(error.params.property), error.params.description ?? '');
    case 'featureGate':
      return gatedField(ctx, path, String(error.params.property), String(error.params.definition));
    default:
      return finding(valueRangeOf(ctx.doc, path), `${fieldPath(path) || 'The document'} ${error.message ?? 'is invalid'}. The API server rejects the object.`);
  }
}

function unknownField(ctx: ErrorContext, parent: ObjectPath, name: string, definition: string | undefined): Finding | undefined {
  const path = [...parent, name];
  const range = keyRange(ctx.doc, path) ?? closestRange(ctx.doc, path);
  const rejected = `kubectl apply fails with: strict decoding error: unknown field "${fieldPath(path)}".`;
  const dated = releaseNote(ctx.target, definition, name);
  if (dated) return finding(range, `"${name}" ${dated}. ${rejected}`);
  if (ctx.target.newerThanData) {
    const unknown = unknownFieldFinding(ctx, parent, name, range, rejected);
    return {
      ...unknown,
      severity: 'warning',
      message: `${unknown.message} The field may be newer than kdry's data: Kubernetes ${ctx.target.version} is checked against ${ctx.catalog.version}, the newest release kdry has.`,
    };
  }
  return unknownFieldFinding(ctx, parent, name, range, rejected);
}

/**
 * When the field belongs to other bundled releases of the same definition: "is not in Kubernetes
 * 1.33 (added in 1.34)" or "is not in Kubernetes 1.35 (removed in 1.31)".
 */
function releaseNote(target: KubernetesTarget, definition: string | undefined, name: string): string | undefined {
  const releases = definition && Object.hasOwn(FIELD_RELEASES, definition) ? FIELD_RELEASES[definition][name] : undefined;
  if (!releases?.length) return undefined;
  const first = releases[0];
  const last = releases[releases.length - 1];
  if (compareVersions(target.version, first) < 0) return `is not in Kubernetes ${target.version} (added in ${first})`;
  if (compareVersions(target.version, last) > 0) {
    const removedIn = BUNDLED_RELEASES.find((v) => compareVersions(v, last) > 0);
    return `is not in Kubernetes ${target.version} (${removedIn ? `removed in ${removedIn}` : `last in ${last}`})`;
  }
  return undefined;
}

function unknownFieldFinding(ctx: ErrorContext, parent: ObjectPath, name: string, range: Offsets, rejected: string): Finding {
  const parentSchema = schemaOf(ctx, parent);
  const present = valueAt(ctx.doc.value, parent);
  const taken = new Set(present && typeof present === 'object' ? Object.keys(present) : []);
  const suggestion = suggestNames(name, Object.keys(parentSchema?.properties ?? {}));
  const where = fieldPath(parent) || `the top level of the ${ctx.kindKey.split('/').pop()}`;
  let hint = '';
  let fixes: (() => Fix[]) | undefined;
  if (suggestion.names.length) {
    const required = new Set(parentSchema?.required ?? []);
    const named = suggestion.names.map((n) => `"${n}"${taken.has(n) ? ' (already set)' : required.has(n) ? ' (required, missing)' : ''}`);
    hint = ` Did you mean ${named.join(' or ')}?`;
    // Renaming onto a key that is already there would only trade this error for a duplicate key.
    fixes = fixesFor(
      suggestion.names.filter((n) => !taken.has(n)),
      (n) => ({ title: `Rename "${name}" to "${n}"`, edits: [{ range, newText: n }], ...(suggestion.clear ? { preferred: true } : {}) }),
    );
  } else {
    const home = parentSchema && fieldHome(ctx.catalog, parentSchema, name);
    if (home) hint = ` "${name}" belongs at ${fieldPath([...parent, ...home])}.`;
  }
  return finding(range, `Unknown field "${name}" in ${where}.${hint} ${rejected}`, fixes);
}

/**
 * A field whose description says it is deprecated: a warning quoting the description, and a
 * rename when it names a replacement field of the same object that is not set yet
 * (`serviceAccount` -> `serviceAccountName`).
 */
function deprecatedField(ctx: ErrorContext, parent: ObjectPath, name: string, description: string): Finding {
  const path = [...parent, name];
  const range = keyRange(ctx.doc, path) ?? closestRange(ctx.doc, path);
  // "Deprecated: Use serviceAccountName instead." over the sentence that merely calls it deprecated.
  const sentence = (/(?:Deprecated|DEPRECATED): ?([^]*?\.)(?:\s|$)/.exec(description) ?? /([^.]*\bdeprecated\b[^]*?\.)(?:\s|$)/i.exec(description))?.[1]?.trim() ?? '';
  const siblings = Object.keys(schemaOf(ctx, parent)?.properties ?? {});
  const named = /[Uu]se (\w+) instead|deprecated alias for (\w+)/.exec(description);
  const wanted = named && (named[1] ?? named[2]).toLowerCase();
  const replacement = wanted ? siblings.find((s) => s.toLowerCase() === wanted && s !== name) : undefined;
  const present = valueAt(ctx.doc.value, parent);
  const taken = replacement !== undefined && !!present && typeof present === 'object' && Object.hasOwn(present, replacement);
  const fixes = replacement && !taken ? () => [{ title: `Rename "${name}" to "${replacement}"`, edits: [{ range, newText: replacement }], preferred: true }] : undefined;
  const instead = !replacement ? '' : taken ? ` ${replacement} is already set: remove ${name}.` : sentence.includes(replacement) ? '' : ` Use ${replacement}.`;
  return { ...finding(range, `${fieldPath(path)} is deprecated in Kubernetes ${ctx.target.version}: ${sentence || description}${instead}`, fixes), severity: 'warning' };
}

/**
 * A field that works only behind a feature gate in the target release: its stage and default, and
 * what dropping it does; an error where the release predates the gate and refuses the field.
 */
function gatedField(ctx: ErrorContext, parent: ObjectPath, name: string, definition: string): Finding | undefined {
  const path = [...parent, name];
  const list = typeof parent[parent.length - 1] === 'number' ? parent[parent.length - 2] : undefined;
  const use = gatedUse(`${definition}.${name}`, typeof list === 'string' ? list : undefined, valueAt(ctx.doc.value, path));
  if (!use) return undefined;
  const range = keyRange(ctx.doc, path) ?? closestRange(ctx.doc, path);
  const release = ctx.target.version;
  const state = gateStage(use.gate, release);
  if (!state) return use.beforeGate ? finding(range, use.beforeGate(fieldPath(path), release)) : undefined;
  if (state.stage === 'GA') return undefined;
  const effect = state.onByDefault
    ? `on by default, so it works unless the cluster turns the gate off`
    : `off by default: unless the cluster enables it (--feature-gates=${use.gate.gate}=true), ${use.whenOff ?? 'the API server drops the field and it has no effect'}`;
  return { ...finding(range, `${fieldPath(path)} needs the ${use.gate.gate} feature gate, ${state.stage} in ${stageRelease(ctx, state.since)} and ${effect}.`), severity: 'info' };
}

/** The field at `path` (`definition.field`) is behind a gate the target release has off by default. */
function droppedByRelease(ctx: ErrorContext, key: string, path: ObjectPath): boolean {
  const parent = path.slice(0, -1);
  const list = typeof parent[parent.length - 1] === 'number' ? parent[parent.length - 2] : undefined;
  const use = gatedUse(key, typeof list === 'string' ? list : undefined, valueAt(ctx.doc.value, path));
  const state = use && gateStage(use.gate, ctx.target.version);
  return state !== undefined && !state.onByDefault;
}

/**
 * The release a gate's stage is stated for. Past kdry's data (a 1.37 target checked against 1.35) a stage
 * the table carries from an older release is a fact about the newest release kdry has, not about the
 * target, which may have promoted the gate since: "beta in Kubernetes 1.35, the newest release kdry has".
 */
function stageRelease(ctx: ErrorContext, since: string): string {
  const release = ctx.target.version;
  const newest = ctx.catalog.version;
  if (compareVersions(release, newest) <= 0 || compareVersions(since, newest) > 0) return `Kubernetes ${release}`;
  return `Kubernetes ${newest}, the newest release kdry has (${release} may differ)`;
}

function missingField(ctx: ErrorContext, parent: ObjectPath, name: string): Finding {
  const where = fieldPath(parent);
  const message = `${where ? `${where} is` : 'The object is'} missing the required field "${name}". The API server rejects the object: ${fieldPath([...parent, name])}: Required value.`;
  return finding(parentRange(ctx.doc, parent), message);
}

function wrongType(ctx: ErrorContext, path: ObjectPath, expected: string | string[]): Finding | undefined {
  const value = valueAt(ctx.doc.value, path);
  const name = fieldPath(path);
  if (value === null) return emptyValue(ctx, path);
  const types = Array.isArray(expected) ? expected : [expected];
  const range = valueRangeOf(ctx.doc, path);
  const fixes = typeFixes(ctx.doc, path, value, types, range, schemaOf(ctx, path)?.format);
  return finding(
    range,
    `${name || 'The document'} must be ${typesPhrase(types)}, but it is ${describe(value, docText(ctx.doc, range))}. The API server rejects the object: cannot unmarshal ${jsonKind(value)} into ${name} of type ${typeName(types)}.`,
    fixes,
  );
}

/**
 * Kubernetes decodes null as "not set": that is only an error for a required field, or for an
 * object that is then missing its own required fields (`template:` left empty has no containers).
 */
function emptyValue(ctx: ErrorContext, path: ObjectPath): Finding | undefined {
  const key = path[path.length - 1];
  if (typeof key !== 'string') return undefined; // a null list item: Kubernetes' wording depends on the item type
  const name = fieldPath(path);
  const range = keyRange(ctx.doc, path) ?? closestRange(ctx.doc, path);
  if (schemaOf(ctx, path.slice(0, -1))?.required?.includes(key)) {
    return finding(range, `${name} is empty but required. The API server rejects the object: ${name}: Required value.`);
  }
  const inner = schemaOf(ctx, path)?.required ?? [];
  if (!inner.length) return undefined;
  return finding(
    range,
    `${name} is empty, but it needs ${inner.map((r) => `"${r}"`).join(' and ')}. The API server rejects the object: ${fieldPath([...path, inner[0]])}: Required value.`,
  );
}

/** Offered from the value and the types; whether the value is a plain scalar (which may take the document's tree) is asked on request. */
function typeFixes(doc: ManifestDocument, path: ObjectPath, value: unknown, types: string[], range: Offsets, format: string | undefined): (() => Fix[]) | undefined {
  const scalar = (fix: Fix) => (): Fix[] => (isScalarAt(doc, path) ? [fix] : []);
  // Quoting only helps plain strings: "true" is no better a quantity than true.
  if (types.includes('string') && !format && (typeof value === 'number' || typeof value === 'boolean')) {
    const source = docText(doc, range);
    return scalar({ title: `Quote ${source} as a string`, edits: [{ range, newText: JSON.stringify(source) }], preferred: true });
  }
  if (types.includes('integer') && typeof value === 'string' && /^-?\d+$/.test(value.trim())) {
    return scalar({ title: `Use the number ${value.trim()}`, edits: [{ range, newText: String(Number(value.trim())) }], preferred: true });
  }
  return undefined;
}

function notAllowed(ctx: ErrorContext, path: ObjectPath, allowed: unknown[]): Finding | undefined {
  const value = valueAt(ctx.doc.value, path);
  if (value === null || typeof value !== 'string') return undefined; // null is "not set"; a wrong type is reported as such
  const range = valueRangeOf(ctx.doc, path);
  const choices = allowed.filter((v): v is string => typeof v === 'string' && v !== '');
  const list = choices.map((v) => `"${v}"`).join(', ');
  const name = fieldPath(path);
  const suggestion = suggestNames(value, choices);
  const fixes = fixesFor(suggestion.names, (n) => ({ title: `Change to "${n}"`, edits: [{ range, newText: n }], ...(suggestion.clear ? { preferred: true } : {}) }));
  return finding(
    range,
    `"${value}" is not a valid value for ${lastName(path)}; use one of ${list}. The API server rejects the object: ${name}: Unsupported value: "${value}": supported values: ${list}.`,
    fixes,
  );
}

function badFormat(ctx: ErrorContext, path: ObjectPath, format: string): Finding | undefined {
  const value = valueAt(ctx.doc.value, path);
  if (value === null || value === undefined) return undefined;
  const range = valueRangeOf(ctx.doc, path);
  const name = fieldPath(path);
  const shown = JSON.stringify(value);
  switch (format) {
    case 'quantity':
      return finding(
        range,
        `${shown} is not a Kubernetes quantity: write a number with an optional suffix (500m, 0.5, 128Mi, 1Gi, 1e3). The API server rejects the object: ${name}: Invalid value: ${shown}: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'.`,
      );
    case 'int-or-percent': {
      const asPercent = `${String(value).replace(/%+$/, '').trim()}%`;
      const fixes = /^\d+$/.test(String(value))
        ? () => [{ title: `Use the number ${value}`, edits: [{ range, newText: String(value) }], preferred: true }]
        : isPercent(asPercent)
          ? () => [{ title: `Change to "${asPercent}"`, edits: [{ range, newText: `"${asPercent}"` }], preferred: true }]
          : undefined;
      return finding(
        range,
        `${lastName(path)} must be a number of pods (e.g. 1) or a percentage (e.g. "25%"), not ${shown}. The API server rejects the object: ${name}: Invalid value: ${shown}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%').`,
        fixes,
      );
    }
    case 'int-or-port-name':
      return finding(
        range,
        `${shown} is neither a port number nor a port name: a name has at most 15 lowercase letters, digits and '-', with at least one letter (e.g. "http"). The API server rejects the object: ${name}: Invalid value: ${shown}: must be no more than 15 characters, contain only lowercase alphanumeric characters or '-' and contain at least one letter.`,
      );
    case 'int32':
    case 'int64':
      return finding(range, `${shown} does not fit ${name}, a ${format === 'int32' ? '32' : '64'}-bit integer. The API server rejects the object: cannot unmarshal number ${shown} into a value of type ${format}.`);
    case 'byte':
      // encoding/json decodes []byte fields (Secret data, ConfigMap binaryData) with base64.StdEncoding.
      return finding(range, `${shown} is not base64: ${name} holds base64-encoded bytes (write plain text under stringData instead, or encode it, e.g. \`echo -n text | base64\`). The API server rejects the object: illegal base64 data.`);
    case 'date-time':
      return finding(range, `${shown} is not an RFC 3339 time (e.g. "2025-01-31T12:00:00Z"). The API server rejects the object: ${name}: cannot parse ${shown} as a time.`);
    default:
      return finding(range, `${shown} is not a valid ${format}. The API server rejects the object.`);
  }
}

function finding(range: Offsets, message: string, fixes?: () => Fix[]): Finding {
  return fixes ? { ruleId: SCHEMA.id, message, range, severity: 'error', fixes } : { ruleId: SCHEMA.id, message, range, severity: 'error' };
}

function schemaOf(ctx: ErrorContext, path: ObjectPath): RawSchema | undefined {
  const root = ctx.catalog.kindSchema(ctx.kindKey);
  return root && ctx.catalog.descend(root, path);
}

/** Where a missing field is reported: the key of the object that lacks it (a list item: its first key). */
function parentRange(doc: ManifestDocument, parent: ObjectPath): Offsets {
  const last = parent[parent.length - 1];
  if (typeof last === 'number') {
    const item = nodeAt(doc, parent);
    const first = isMap(item) ? item.items[0] : undefined;
    if (first && isScalar(first.key) && first.key.range) return [doc.offset + first.key.range[0], doc.offset + first.key.range[1]];
  }
  return closestRange(doc, parent);
}

function valueRangeOf(doc: ManifestDocument, path: ObjectPath): Offsets {
  return valueRange(doc, path) ?? closestRange(doc, path);
}

function docText(doc: ManifestDocument, range: Offsets): string {
  return doc.source.slice(range[0] - doc.offset, range[1] - doc.offset);
}

function lastName(path: ObjectPath): string {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return String(path[i]);
  return 'the value';
}

function typesPhrase(types: string[]): string {
  return types.map(typePhrase).join(' or ');
}

function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  return typeof value === 'object' ? 'object' : typeof value;
}

/** How YAML read the value, in the user's own spelling (`1.0` is the number 1.0, not 1). */
function describe(value: unknown, source: string): string {
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'number') return `the number ${source}`;
  if (typeof value === 'boolean') return `the boolean ${source}`;
  if (Array.isArray(value)) return 'a list';
  return 'a mapping';
}
