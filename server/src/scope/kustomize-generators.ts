// The ConfigMaps and Secrets a kustomization's `configMapGenerator` and `secretGenerator` make,
// as kustomize makes them (api/internal/generators configmap.go MakeConfigMap, secret.go
// MakeSecret, api/kv/kv.go Load): the pairs of `envs` (and the legacy `env`) files, then
// `literals`, then `files`; a ConfigMap value that is not UTF-8 goes to binaryData, base64
// (kyaml datamap.go); every Secret value is base64, in lines of 70 (encodeBase64).
// `generatorOptions` merge into each generator's `options` (types/generatoroptions.go
// MergeGlobalOptionsIntoLocal: a global `disableNameSuffixHash: true` wins).
// Files are read as kustomize's default loader reads them: only inside the kustomization's own
// folder (api/internal/loader/loadrestrictions.go RestrictionRootOnly), and here at most 1 MB, a
// regular file, opened without blocking. One kdry cannot read is named in `unread`, with why.
import { realpathSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isRecord } from '../manifest';
import { isBelow, type WorkspaceIndex } from '../workspace';
import { describeIoError, readBytesBoundedSync } from '../workspace/read-file';
import type { GeneratedObject, Unit } from './units';
import { noteSources, statOrUndefined } from './kustomize-sources';

export interface Generated {
  /** The object as the generator makes it, before any transform. */
  value: Record<string, unknown>;
  /** kustomize appends the content hash to its name (not disabled by generatorOptions or options). */
  hashed: boolean;
  /** Files the generator reads that kdry could not (missing, outside the kustomization's folder, too large): their pairs are missing. */
  unread: UnreadSource[];
}

/** A generator's file kdry could not read: the path as written, and for a `files` entry the key it gives (known without reading). */
export interface UnreadSource {
  path: string;
  key?: string;
  /** Where the generator's entry names it: `files[index]`, `envs[index]` or `env`. */
  at: (string | number)[];
  /** Why kdry could not read it. */
  reason: string;
}

const MAX_SOURCE_BYTES = 1024 * 1024;
const GENERATORS = [['configMapGenerator', 'ConfigMap'], ['secretGenerator', 'Secret']] as const;

/**
 * The object the unit's generator entry makes (`configMapGenerator[index]` or
 * `secretGenerator[index]`: two entries may share a name, a `create` and a later `merge`);
 * undefined when it has none.
 */
export function generate(workspace: WorkspaceIndex, unit: Unit, entry: Pick<GeneratedObject, 'field' | 'index'>): Generated | undefined {
  const config = unit.config ?? {};
  const kind = GENERATORS.find(([f]) => f === entry.field)![1];
  const args = list(config[entry.field])[entry.index];
  if (!isRecord(args) || typeof args.name !== 'string') return undefined;
  const name = args.name;
  const options = isRecord(args.options) ? args.options : {};
  const global = isRecord(config.generatorOptions) ? config.generatorOptions : {};
  const unread: UnreadSource[] = [];
  const read = (path: string, at: (string | number)[], key?: string) => {
    const bytes = readSource(workspace, unit.dir, path);
    if (Buffer.isBuffer(bytes)) return bytes;
    unread.push({ path, at, reason: bytes.reason, ...(key === undefined ? {} : { key }) });
    return undefined;
  };
  const pairs: [string, Buffer][] = [];
  const envFiles: { path: unknown; at: (string | number)[] }[] = [...list(args.envs).map((path, i) => ({ path, at: ['envs', i] })), { path: args.env, at: ['env'] }];
  for (const { path, at } of envFiles) {
    if (typeof path !== 'string' || path === '') continue;
    const bytes = read(path, at);
    if (bytes) pairs.push(...envPairs(bytes.toString('utf8')).map(([k, v]): [string, Buffer] => [k, Buffer.from(v)]));
  }
  for (const literal of list(args.literals)) {
    if (typeof literal !== 'string' || literal.indexOf('=') <= 0) continue;
    const eq = literal.indexOf('=');
    pairs.push([literal.slice(0, eq), Buffer.from(removeQuotes(literal.slice(eq + 1)))]);
  }
  for (const [i, source] of list(args.files).entries()) {
    const file = fileSource(source);
    const bytes = file && read(file.path, ['files', i], file.key);
    if (file && bytes) pairs.push([file.key, bytes]);
  }
  const metadata: Record<string, unknown> = { name };
  if (typeof args.namespace === 'string' && args.namespace !== '') metadata.namespace = args.namespace;
  const labels = { ...stringsOf(global.labels), ...stringsOf(options.labels) };
  const annotations = { ...stringsOf(global.annotations), ...stringsOf(options.annotations) };
  if (Object.keys(labels).length) metadata.labels = labels;
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  const value: Record<string, unknown> = { apiVersion: 'v1', kind, metadata };
  // A repeated key is an error upstream (makeValidatedDataMap); the first one stays here.
  const seen = new Set<string>();
  const unique = pairs.filter(([k]) => !seen.has(k) && (seen.add(k), true));
  if (kind === 'Secret') {
    value.type = typeof args.type === 'string' && args.type !== '' ? args.type : 'Opaque';
    value.data = Object.fromEntries(unique.map(([k, v]) => [k, encodeBase64(v)]));
  } else {
    for (const [k, v] of unique) {
      const target = isUtf8(v) ? 'data' : 'binaryData';
      ((value[target] ??= {}) as Record<string, string>)[k] = target === 'data' ? v.toString('utf8') : encodeBase64(v);
    }
  }
  if (options.immutable === true || global.immutable === true) value.immutable = true;
  return { value, hashed: options.disableNameSuffixHash !== true && global.disableNameSuffixHash !== true, unread };
}

/** A `files` entry: `path` (its key is the file's name) or `key=path`; undefined when kustomize refuses it. */
function fileSource(source: unknown): { key: string; path: string } | undefined {
  if (typeof source !== 'string') return undefined;
  const parts = source.split('=');
  if (parts.length > 2 || (parts.length === 2 && (parts[0] === '' || parts[1] === ''))) return undefined;
  const [key, path] = parts.length === 2 ? parts : [basename(source), source];
  return { key, path };
}

/**
 * The files a kustomization's generators read (`envs`, `env`, `files`), as absolute paths: only those
 * in or below its folder, as `readSource` reads no other, so no other can change what it generates.
 */
export function generatorSources(unit: Unit): string[] {
  const out: string[] = [];
  for (const [field] of GENERATORS) {
    for (const args of list(unit.config?.[field])) {
      if (!isRecord(args)) continue;
      const paths = [...list(args.envs), args.env, ...list(args.files).map((f) => fileSource(f)?.path)];
      for (const path of paths) {
        if (typeof path !== 'string' || path === '') continue;
        const absolute = resolve(unit.dir, path);
        if (isBelow(absolute, unit.dir)) out.push(absolute);
      }
    }
  }
  return out;
}

/** kv.go keyValuesFromLines: `KEY=value` lines; blank lines and `#` comments skipped; a BOM on the first line dropped. */
function envPairs(text: string): [string, string][] {
  const out: [string, string][] = [];
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = (i === 0 ? raw.replace(/^\uFEFF/, '') : raw).replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    out.push(eq < 0 ? [line, ''] : [line.slice(0, eq), line.slice(eq + 1)]);
  }
  return out;
}

/** kv.go removeQuotes: one pair of matching surrounding quotes. */
function removeQuotes(s: string): string {
  return s.length >= 2 && s[0] === s[s.length - 1] && (s[0] === '"' || s[0] === "'") ? s.slice(1, -1) : s;
}

/** kyaml datamap.go encodeBase64: lines of 70 characters, each ended by a newline once there are two or more. */
function encodeBase64(bytes: Buffer): string {
  const encoded = bytes.toString('base64');
  const lines = Math.floor(encoded.length / 70) + 1;
  let out = '';
  for (let i = 0; i < encoded.length; i += 70) out += encoded.slice(i, i + 70) + (lines > 1 ? '\n' : '');
  return out;
}

/** Files read, by real path, reused while their size and time are the same; at most 16 MB kept. */
const cache = new Map<string, { mtimeMs: number; size: number; bytes: Buffer }>();
const MAX_CACHED_BYTES = 16 * 1024 * 1024;
let cachedBytes = 0;

/**
 * A generator's file, only inside the kustomization's folder (kustomize's default RootOnly loader
 * refuses others, also when the editor holds them: loader/fileloader.go "security; file ... is not
 * in or below ..."): the editor's text when the workspace holds it, else from disk through the
 * bounded reader (a regular file of at most 1 MB, opened without blocking). Why not, in words.
 */
function readSource(workspace: WorkspaceIndex, dir: string, path: string): Buffer | { reason: string } {
  const absolute = resolve(dir, path);
  const outside = (file: string) => ({ reason: `it is not in or below the kustomization's folder ${dir}, and kustomize's default load restrictions (RootOnly) refuse it ("security; file ${file} is not in or below ${dir}")` });
  if (!isBelow(absolute, dir)) return outside(absolute);
  const open = workspace.get(pathToFileURL(absolute).href);
  if (open) return Buffer.from(open.text);
  // Stamped by the path as written: a link retargeted or a file created later changes it too.
  const stamp = statOrUndefined(absolute);
  noteSources([{ path: absolute, mtimeMs: stamp?.mtimeMs ?? -1, size: stamp?.size ?? -1 }]);
  let real: string;
  try {
    real = realpathSync(absolute);
    if (!isBelow(real, realpathSync(dir))) return outside(real);
    // statSync follows links: the stamp above is the real file's size and time.
    const cached = cache.get(real);
    if (stamp && cached && cached.mtimeMs === stamp.mtimeMs && cached.size === stamp.size) return cached.bytes;
  } catch (e) {
    return { reason: describeIoError(e) };
  }
  const read = readBytesBoundedSync(real, MAX_SOURCE_BYTES);
  if (!read.ok) return { reason: read.reason };
  if (cachedBytes + read.bytes.length > MAX_CACHED_BYTES) (cache.clear(), (cachedBytes = 0));
  cachedBytes += read.bytes.length - (cache.get(real)?.bytes.length ?? 0);
  cache.set(real, { mtimeMs: read.mtimeMs, size: read.bytes.length, bytes: read.bytes });
  return read.bytes;
}

/** The string values of a map (labels, annotations, data); {} when it is not one. */
export function stringsOf(v: unknown): Record<string, string> {
  return isRecord(v) ? (Object.fromEntries(Object.entries(v).filter(([, x]) => typeof x === 'string')) as Record<string, string>) : {};
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
