// Flux's post-build variable substitution: a Flux `Kustomization` (kustomize.toolkit.fluxcd.io)
// with `spec.postBuild` builds the folder its `spec.path` names, then replaces `${var}` in every
// object built before applying it (fluxcd/pkg kustomize/kustomize_varsub.go SubstituteVariables:
// the object as YAML text through drone/envsubst, then read back as YAML, so `replicas: ${REPLICAS}`
// with REPLICAS=3 is the integer 3). The values: `postBuild.substitute`, over the `data` of the
// ConfigMaps and Secrets `substituteFrom` names (loadVars; newlines removed). An object labelled
// or annotated `kustomize.toolkit.fluxcd.io/substitute: disabled` is left as written.
// kdry substitutes what it knows: inline values, and those of `substituteFrom` objects the
// repository holds. A variable it cannot know (a source in the cluster only, a form of envsubst it
// does not evaluate, an unset one that another Flux Kustomization's patch may still provide) leaves
// the string as written and its place in `unknown`: the checks say nothing there (never a false
// error on a value the API server will not see).
import { dirname, resolve, sep } from 'node:path';
import { parse } from 'yaml';
import { isRecord, valueRange, type ManifestDocument, type ObjectPath, type Offsets } from '../manifest';
import { uriToPath, type WorkspaceIndex } from '../workspace';
import { unitIndex } from './scope';

const FLUX_KUSTOMIZE_GROUP = 'kustomize.toolkit.fluxcd.io/';
const DISABLED = 'kustomize.toolkit.fluxcd.io/substitute';
/** kustomize_varsub.go varsubRegex. */
const VAR_NAME = /^[_a-zA-Z][_a-zA-Z0-9]*$/;

/** The variables one Flux Kustomization substitutes in the folder it builds. */
interface FluxScope {
  /** The folder `spec.path` names (a local path). */
  dir: string;
  /** Files its build reaches outside the folder (a kustomization there naming `../base`), as uris. */
  members: ReadonlySet<string>;
  vars: Map<string, string>;
  /** A `substituteFrom` source the repository does not hold: any variable may come from it. */
  incomplete: boolean;
}

/** A document as Flux applies it: the value with its variables substituted, and where a variable stays unknown. */
export interface Substituted {
  doc: ManifestDocument;
  /** The ranges of the values kdry substituted. */
  substituted: Offsets[];
  /** The ranges of the values whose variables kdry cannot know. */
  unknown: Offsets[];
}

/**
 * The scopes change only with the workspace's structure, a Flux Kustomization or a source it reads:
 * a keystroke in an ordinary manifest keeps them (each check asks on every keystroke, and building
 * them walks every path of the workspace per Kustomization).
 */
interface ScopesMemo {
  /** The revision they were last confirmed at: every document of a file with `$` asks within one. */
  revision: number;
  structureVersion: number;
  /** The Flux Kustomizations' documents and the ConfigMaps and Secrets they read, as found: a re-parse replaces the object. */
  inputs: unknown[];
  scopes: FluxScope[];
}

const scopesMemo = new WeakMap<WorkspaceIndex, ScopesMemo>();

function scopesOf(workspace: WorkspaceIndex): FluxScope[] {
  const known = scopesMemo.get(workspace);
  if (known?.revision === workspace.revision) return known.scopes;
  const kustomizations = [...workspace.documents('Kustomization')].filter((e) => e.doc.apiVersion?.startsWith(FLUX_KUSTOMIZE_GROUP) && isRecord(e.doc.value));
  const inputs: unknown[] = [];
  for (const entry of kustomizations) {
    inputs.push(entry.doc);
    for (const source of substituteSources(entry.doc.value)) inputs.push(sourceDocument(workspace, source.kind, source.name));
  }
  if (known && known.structureVersion === workspace.structureVersion && known.inputs.length === inputs.length && known.inputs.every((d, i) => d === inputs[i])) {
    known.revision = workspace.revision;
    return known.scopes;
  }
  const scopes: FluxScope[] = [];
  for (const entry of kustomizations) {
    const spec = (entry.doc.value as Record<string, unknown>).spec;
    const postBuild = isRecord(spec) ? spec.postBuild : undefined;
    const from = uriToPath(entry.uri);
    if (!isRecord(spec) || !isRecord(postBuild) || !from) continue;
    const dir = folderOf(workspace, dirname(from), typeof spec.path === 'string' ? spec.path : '.');
    if (!dir) continue;
    const vars = new Map<string, string>();
    let incomplete = false;
    // substituteFrom in order, then the inline values over them (loadVars, then substitute).
    for (const source of Array.isArray(postBuild.substituteFrom) ? postBuild.substituteFrom : []) {
      const data = isRecord(source) && (source.kind === 'ConfigMap' || source.kind === 'Secret') && typeof source.name === 'string' ? sourceData(workspace, source.kind, source.name) : undefined;
      if (!data) incomplete = true;
      else for (const [k, v] of data) vars.set(k, v.replaceAll('\n', ''));
    }
    if (isRecord(postBuild.substitute)) for (const [k, v] of Object.entries(postBuild.substitute)) if (typeof v === 'string') vars.set(k, v.replaceAll('\n', ''));
    const unit = unitIndex(workspace).kustomization(pathUri(workspace, dir));
    scopes.push({ dir, members: unit?.members ?? new Set(), vars, incomplete });
  }
  scopesMemo.set(workspace, { revision: workspace.revision, structureVersion: workspace.structureVersion, inputs, scopes });
  return scopes;
}

/** A Flux Kustomization's `postBuild.substituteFrom` entries that name a ConfigMap or Secret. */
function substituteSources(value: unknown): { kind: 'ConfigMap' | 'Secret'; name: string }[] {
  const spec = isRecord(value) ? value.spec : undefined;
  const postBuild = isRecord(spec) ? spec.postBuild : undefined;
  const list = isRecord(postBuild) && Array.isArray(postBuild.substituteFrom) ? postBuild.substituteFrom : [];
  return list.flatMap((s) => (isRecord(s) && (s.kind === 'ConfigMap' || s.kind === 'Secret') && typeof s.name === 'string' ? [{ kind: s.kind, name: s.name }] : []));
}

/** The paths of the workspace's files, once per structure (files join or leave only then). */
const pathsMemo = new WeakMap<WorkspaceIndex, { structureVersion: number; paths: string[] }>();

function workspacePaths(workspace: WorkspaceIndex): string[] {
  const memo = pathsMemo.get(workspace);
  if (memo && memo.structureVersion === workspace.structureVersion) return memo.paths;
  const paths = workspace.uris().flatMap((u) => uriToPath(u) ?? []);
  pathsMemo.set(workspace, { structureVersion: workspace.structureVersion, paths });
  return paths;
}

/**
 * The folder `path` names: Flux reads it from the source's root, which kdry does not know, so the
 * nearest folder above the Flux Kustomization's own from which `path` leads to files of the workspace.
 */
function folderOf(workspace: WorkspaceIndex, start: string, path: string): string | undefined {
  const paths = workspacePaths(workspace);
  for (let at = start; ; at = dirname(at)) {
    const dir = resolve(at, path);
    if (paths.some((p) => p.startsWith(dir + sep))) return dir;
    if (dirname(at) === at) return undefined;
  }
}

/** The uri of the kustomization file of `dir`, if the workspace holds one. */
function pathUri(workspace: WorkspaceIndex, dir: string): string {
  return workspace.uris().find((u) => {
    const p = uriToPath(u);
    return p !== undefined && dirname(p) === dir && /[\\/]kustomization\.ya?ml$/.test(p);
  }) ?? '';
}

/** A ConfigMap's `data`, a Secret's decoded `data` and `stringData`, from the repository (the first of the name); undefined when it holds none. */
function sourceData(workspace: WorkspaceIndex, kind: 'ConfigMap' | 'Secret', name: string): Map<string, string> | undefined {
  const found = sourceDocument(workspace, kind, name);
  if (!found) return undefined;
  const value = found.value as Record<string, unknown>;
  const data = new Map<string, string>();
  const add = (map: unknown, decode: boolean) => {
    if (isRecord(map)) for (const [k, v] of Object.entries(map)) if (typeof v === 'string') data.set(k, decode ? Buffer.from(v, 'base64').toString('utf8') : v);
  };
  add(value.data, kind === 'Secret');
  if (kind === 'Secret') add(value.stringData, false);
  return data;
}

/** The ConfigMap or Secret a substituteFrom entry reads: the first v1 object of the name. */
function sourceDocument(workspace: WorkspaceIndex, kind: 'ConfigMap' | 'Secret', name: string): ManifestDocument | undefined {
  return workspace.named(kind, name).find((e) => e.doc.apiVersion === 'v1' && isRecord(e.doc.value))?.doc;
}

/** The Flux scope whose build holds the file (the nearest folder), if any. */
function scopeFor(workspace: WorkspaceIndex, uri: string): FluxScope | undefined {
  const scopes = scopesOf(workspace);
  if (scopes.length === 0) return undefined;
  const path = uriToPath(uri);
  if (!path) return undefined;
  const holding = scopes.filter((s) => path.startsWith(s.dir + sep) || s.members.has(uri));
  return holding.sort((a, b) => b.dir.length - a.dir.length)[0];
}

const substitutedMemo = new WeakMap<ManifestDocument, { revision: number; result: Substituted | undefined }>();

/**
 * The document as a Flux Kustomization with post-build substitution applies it; undefined when
 * none builds the file, or the object holds no variable (or disables substitution).
 */
/** Whether any Flux Kustomization of the workspace substitutes variables (postBuild): most workspaces have none. */
export function hasFluxSubstitution(workspace: WorkspaceIndex): boolean {
  return scopesOf(workspace).length > 0;
}

export function fluxSubstituted(workspace: WorkspaceIndex, uri: string, doc: ManifestDocument): Substituted | undefined {
  const memo = substitutedMemo.get(doc);
  if (memo && memo.revision === workspace.revision) return memo.result;
  const result = substitute(workspace, uri, doc);
  substitutedMemo.set(doc, { revision: workspace.revision, result });
  return result;
}

function substitute(workspace: WorkspaceIndex, uri: string, doc: ManifestDocument): Substituted | undefined {
  if (!isRecord(doc.value) || !doc.source.includes('$')) return undefined;
  const scope = scopeFor(workspace, uri);
  // kustomize_varsub.go: no variables at all, no substitution.
  if (!scope || (scope.vars.size === 0 && !scope.incomplete)) return undefined;
  const meta = isRecord(doc.value.metadata) ? doc.value.metadata : {};
  if ([meta.labels, meta.annotations].some((m) => isRecord(m) && m[DISABLED] === 'disabled')) return undefined;
  const unknownPaths: ObjectPath[] = [];
  const substitutedPaths: ObjectPath[] = [];
  const walk = (node: unknown, path: ObjectPath): unknown => {
    if (typeof node === 'string') {
      if (!node.includes('$')) return node;
      const out = envsubst(node, scope);
      if (out === undefined) {
        unknownPaths.push(path);
        return node;
      }
      substitutedPaths.push(path);
      return retyped(out);
    }
    if (Array.isArray(node)) return node.map((v, i) => walk(v, [...path, i]));
    if (isRecord(node)) return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, [...path, k])]));
    return node;
  };
  const value = walk(doc.value, []);
  if (substitutedPaths.length === 0 && unknownPaths.length === 0) return undefined;
  const metadata = isRecord((value as Record<string, unknown>).metadata) ? ((value as Record<string, unknown>).metadata as Record<string, unknown>) : {};
  const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const view = Object.create(doc, { value: { value }, name: { value: text(metadata.name) }, namespace: { value: text(metadata.namespace) } }) as ManifestDocument;
  const ranges = (paths: ObjectPath[]) => paths.flatMap((p) => {
    const range = valueRange(doc, p);
    return range ? [range] : [];
  });
  return { doc: view, substituted: ranges(substitutedPaths), unknown: ranges(unknownPaths) };
}

/**
 * drone/envsubst on one string: `$$` is a `$`; `${var}` and `$var`; `${var:-default}` and
 * `${var:=default}` (default when unset or empty), `${var-default}` and `${var=default}` (when
 * unset). Undefined when a variable kdry cannot know decides it, or another form (`${var/a/b}`,
 * `${var:1}`, ...) is used.
 */
export function envsubst(text: string, scope: Pick<FluxScope, 'vars' | 'incomplete'>): string | undefined {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    let name: string;
    let fallback: { text: string; whenEmpty: boolean } | undefined;
    if (next === '{') {
      const end = text.indexOf('}', i + 2);
      if (end < 0) return undefined;
      const body = text.slice(i + 2, end);
      const m = /^([_a-zA-Z][_a-zA-Z0-9]*)(?:(:?)[-=](.*))?$/s.exec(body);
      if (!m) return undefined;
      name = m[1];
      if (m[3] !== undefined) fallback = { text: m[3], whenEmpty: m[2] === ':' };
      i = end + 1;
    } else {
      const m = /^[_a-zA-Z][_a-zA-Z0-9]*/.exec(text.slice(i + 1));
      if (!m) {
        out += '$';
        i++;
        continue;
      }
      name = m[0];
      i += 1 + name.length;
    }
    if (!VAR_NAME.test(name)) return undefined;
    const value = scope.vars.get(name);
    // Unset: a source kdry lacks, or another Flux Kustomization's patch, may still set it.
    if (value === undefined && (scope.incomplete || !fallback)) return undefined;
    if (value !== undefined && !(fallback?.whenEmpty && value === '')) out += value;
    else if (fallback) {
      const inner = envsubst(fallback.text, scope);
      if (inner === undefined) return undefined;
      out += inner;
    }
  }
  return out;
}

/** The substituted text read back as YAML reads a plain scalar (sigs.k8s.io/yaml YAMLToJSON, YAML 1.1: `3` is a number, `true` a boolean); text that is no scalar stays text. */
function retyped(text: string): unknown {
  if (text.includes('\n') || text.trim() !== text || text === '') return text;
  try {
    const value: unknown = parse(text, { version: '1.1' });
    return value === null || typeof value === 'object' ? text : value;
  } catch {
    return text;
  }
}
