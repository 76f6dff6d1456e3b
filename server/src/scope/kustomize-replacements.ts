// A kustomization's `replacements:` (api/filters/replacement/replacement.go), the last transform
// of each kustomization (kusttarget_configplugin.go): each replacement reads a value from one
// object of the build (`source`: selected by kind, name, namespace, group, version as written,
// `fieldPath` default metadata.name, `options.delimiter`/`index` take one part) or a
// `sourceValue`, and writes it at each `fieldPaths` of every object its `targets` select (`select`
// and `reject` as a patch's target selects, regular expressions; `options.create` makes missing
// map fields; a delimiter writes one part of the target's value). A field path is split at dots
// outside brackets (kyaml SmarterPathSplitter): a map key, `[key=value]` the list elements with
// that field, `*` every element, a number an index.
// The replacements run in order, each over the whole build (a later one's source sees what an
// earlier one wrote: replacementValues).
// Worked example: source ConfigMap `env` fieldPath `data.HOST`, target Deployment `web`
// fieldPaths `spec.template.spec.containers.[name=web].env.[name=HOST].value`: the container's
// HOST variable takes the ConfigMap's value.
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { isRecord } from '../manifest';
import type { WorkspaceIndex } from '../workspace';
import { selectedBy, selectorOf, type BuildingObject, type Selector } from './kustomize-patches';

interface FieldOptions {
  delimiter?: string;
  index: number;
  create: boolean;
}

export interface Replacement {
  /** Its entry in the kustomization: `replacements[entry]` (inline, or a `path:` file of several). */
  entry: number;
  source?: { id: Record<string, string>; fieldPath: string; options: FieldOptions };
  sourceValue?: string;
  targets: { select: Selector; reject: Selector[]; fieldPaths: string[]; options: FieldOptions }[];
}

/** The replacements of a kustomization (inline, or `path:` a file of them read from the workspace). */
export function replacementsOf(workspace: WorkspaceIndex, dir: string, config: Record<string, unknown>): Replacement[] {
  const out: Replacement[] = [];
  const add = (entry: unknown, index: number) => {
    if (!isRecord(entry) || !Array.isArray(entry.targets)) return;
    const targets = entry.targets.filter(isRecord).flatMap((t) => {
      const select = selectorOf(t.select);
      if (!select) return [];
      const fieldPaths = Array.isArray(t.fieldPaths) ? t.fieldPaths.filter((p): p is string => typeof p === 'string') : [];
      return [{ select, reject: (Array.isArray(t.reject) ? t.reject : []).map(selectorOf).filter((r): r is Selector => r !== undefined), fieldPaths: fieldPaths.length ? fieldPaths : ['metadata.name'], options: optionsOf(t.options) }];
    });
    const s = entry.source;
    if (typeof entry.sourceValue === 'string') out.push({ entry: index, sourceValue: entry.sourceValue, targets });
    else if (isRecord(s)) {
      const id = Object.fromEntries(['group', 'version', 'kind', 'name', 'namespace'].filter((k) => typeof s[k] === 'string').map((k) => [k, s[k] as string]));
      out.push({ entry: index, source: { id, fieldPath: typeof s.fieldPath === 'string' && s.fieldPath !== '' ? s.fieldPath : 'metadata.name', options: optionsOf(s.options) }, targets });
    }
  };
  for (const [index, entry] of (Array.isArray(config.replacements) ? config.replacements : []).entries()) {
    if (isRecord(entry) && typeof entry.path === 'string') {
      const value = workspace.get(pathToFileURL(resolve(dir, entry.path)).href)?.documents.map((d) => d.value);
      for (const v of value ?? []) for (const r of Array.isArray(v) ? v : [v]) add(r, index);
    } else add(entry, index);
  }
  return out;
}

function optionsOf(v: unknown): FieldOptions {
  const o = isRecord(v) ? v : {};
  return { delimiter: typeof o.delimiter === 'string' && o.delimiter !== '' ? o.delimiter : undefined, index: typeof o.index === 'number' ? o.index : 0, create: o.create === true };
}

/** The value each replacement writes (by its position), and where kustomize build fails instead. */
export interface ReplacementValues {
  values: unknown[];
  problems: { entry: number; message: string }[];
}

/**
 * replacement.go Filter: the replacements in order over the whole build, each reading its source
 * from the objects as the replacements before it left them (a later replacement's source sees an
 * earlier one's result), then writing its targets. `objects` (the build before the replacements)
 * are changed in place. A source that is missing or ambiguous, a source field that is missing, a
 * target field that is missing without `options.create`: kustomize fails the build there.
 */
export function replacementValues(replacements: readonly Replacement[], objects: BuildingObject[]): ReplacementValues {
  const out: ReplacementValues = { values: [], problems: [] };
  for (const r of replacements) {
    const found = r.sourceValue !== undefined ? { value: r.sourceValue } : r.source ? sourceValue(r.source, objects.map((o) => o.value)) : { error: 'replacements must specify a source and at least one target' };
    if ('error' in found) out.problems.push({ entry: r.entry, message: found.error });
    const value = 'value' in found ? found.value : undefined;
    out.values.push(value);
    if (value === undefined) continue;
    for (const object of objects) {
      for (const t of targetsOf(r, object)) {
        for (const path of t.fieldPaths) {
          if (!setAtFieldPath(object.value, splitFieldPath(path), value, t.options)) out.problems.push({ entry: r.entry, message: `unable to find field "${path}" in replacement target ${describe(object.value)}` });
        }
      }
    }
  }
  return out;
}

/**
 * Applies the replacements to one object of the build with the values replacementValues found
 * (`values()`, read only when a replacement targets the object). One that cannot apply leaves the
 * object as it was.
 */
export function applyReplacements(object: BuildingObject, replacements: readonly Replacement[], values: () => unknown[]): void {
  replacements.forEach((r, i) => {
    const targets = targetsOf(r, object);
    if (targets.length === 0) return;
    const value = r.sourceValue ?? values()[i];
    if (value === undefined) return;
    for (const t of targets) for (const path of t.fieldPaths) setAtFieldPath(object.value, splitFieldPath(path), value, t.options);
  });
}

function targetsOf(r: Replacement, object: BuildingObject): Replacement['targets'] {
  return r.targets.filter((t) => selectedBy(object, t.select) && !t.reject.some((x) => selectedBy(object, x)));
}

/** selectSourceNode: exactly one object whose id has every field the source names; then its value at fieldPath (a delimiter takes one part). */
function sourceValue(source: NonNullable<Replacement['source']>, objects: Record<string, unknown>[]): { value: unknown } | { error: string } {
  const matches = objects.filter((o) => Object.entries(source.id).every(([k, v]) => idField(o, k) === v));
  const selector = Object.entries(source.id).map(([k, v]) => `${k}: ${v}`).join(', ');
  if (matches.length === 0) return { error: `nothing selected by the source {${selector}}` };
  if (matches.length > 1) return { error: `multiple matches for the source {${selector}}` };
  const found = lookup(matches[0], splitFieldPath(source.fieldPath));
  if (found === undefined || found === null) return { error: `fieldPath \`${source.fieldPath}\` is missing for replacement source ${describe(matches[0])}` };
  const { delimiter, index } = source.options;
  if (!delimiter) return { value: found };
  const parts = String(found).split(delimiter);
  return index >= 0 && index < parts.length ? { value: parts[index] } : { error: `options.index ${index} is out of bounds for value ${String(found)}` };
}

function describe(o: Record<string, unknown>): string {
  const meta = isRecord(o.metadata) ? o.metadata : {};
  return `${typeof o.kind === 'string' ? o.kind : 'object'} "${typeof meta.name === 'string' ? meta.name : ''}"`;
}

function idField(o: Record<string, unknown>, field: string): string | undefined {
  const meta = isRecord(o.metadata) ? o.metadata : {};
  const apiVersion = typeof o.apiVersion === 'string' ? o.apiVersion : '';
  const slash = apiVersion.indexOf('/');
  switch (field) {
    case 'kind':
      return typeof o.kind === 'string' ? o.kind : undefined;
    case 'name':
    case 'namespace':
      return typeof meta[field] === 'string' ? (meta[field] as string) : undefined;
    case 'group':
      return slash < 0 ? '' : apiVersion.slice(0, slash);
    default:
      return slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  }
}

/** kyaml SmarterPathSplitter: dots outside brackets. */
export function splitFieldPath(path: string): string[] {
  const out: string[] = [];
  let part = '';
  let depth = 0;
  for (const c of path) {
    if (c === '[') depth++;
    if (c === ']') depth = Math.max(0, depth - 1);
    if (c === '.' && depth === 0) (out.push(part), (part = ''));
    else part += c;
  }
  out.push(part);
  return out.filter((p) => p !== '');
}

/** The nodes a path step leads to from `node`: a map's field, the list elements a `[k=v]`, `*` or index names. */
function step(node: unknown, segment: string): unknown[] {
  const match = /^\[([^=\]]+)=([^\]]*)\]$/.exec(segment);
  if (Array.isArray(node)) {
    if (match) return node.filter((e) => isRecord(e) && String(e[match[1]]) === match[2]);
    if (segment === '*') return node;
    if (/^\d+$/.test(segment)) return node[Number(segment)] === undefined ? [] : [node[Number(segment)]];
    return [];
  }
  if (isRecord(node) && !match) return node[segment] === undefined ? [] : [node[segment]];
  return [];
}

function lookup(root: unknown, path: string[]): unknown {
  let nodes: unknown[] = [root];
  for (const segment of path) nodes = nodes.flatMap((n) => step(n, segment));
  return nodes[0];
}

/** Sets `value` at every place the path leads to (creating map fields with options.create); false when the path leads nowhere. */
function setAtFieldPath(node: unknown, path: string[], value: unknown, options: FieldOptions): boolean {
  const [segment, ...rest] = path;
  if (segment === undefined) return false;
  if (rest.length === 0) {
    if (!isRecord(node) || (node[segment] === undefined && !options.create)) return false;
    node[segment] = withDelimiter(node[segment], value, options);
    return true;
  }
  if (isRecord(node) && node[segment] === undefined && options.create && !segment.startsWith('[')) node[segment] = {};
  let set = false;
  for (const next of step(node, segment)) set = setAtFieldPath(next, rest, value, options) || set;
  return set;
}

/** setFieldValue: with a delimiter, the target's part at `index` (before the first when negative, after the last when past it). */
function withDelimiter(current: unknown, value: unknown, { delimiter, index }: FieldOptions): unknown {
  if (!delimiter || typeof current !== 'string') return typeof current === 'number' && typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  const parts = current.split(delimiter);
  const v = String(value);
  if (index < 0) parts.unshift(v);
  else if (index >= parts.length) parts.push(v);
  else parts[index] = v;
  return parts.join(delimiter);
}
