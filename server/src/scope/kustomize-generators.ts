// The ConfigMaps and Secrets a kustomization's `configMapGenerator` and `secretGenerator` make,
// as kustomize makes them (api/internal/generators configmap.go MakeConfigMap, secret.go
// MakeSecret, api/kv/kv.go Load): the pairs of `envs` (and the legacy `env`) files, then
// `literals`, then `files`; a ConfigMap value that is not UTF-8 goes to binaryData, base64
// (kyaml datamap.go); every Secret value is base64, in lines of 70 (encodeBase64).
// `generatorOptions` merge into each generator's `options` (types/generatoroptions.go
// MergeGlobalOptionsIntoLocal: a global `disableNameSuffixHash: true` wins).
// Files are read as kustomize's default loader reads them: only inside the kustomization's own
// folder (api/internal/loader/loadrestrictions.go RestrictionRootOnly), and here at most 1 MB, a
// regular file, opened without blocking. One kdry cannot read is named in `unread`.
import { closeSync, fstatSync, openSync, readSync, realpathSync, statSync, constants } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isRecord } from '../manifest';
import { isBelow, type WorkspaceIndex } from '../workspace';
import type { Unit } from './units';

export interface Generated {
  /** The object as the generator makes it, before any transform. */
  value: Record<string, unknown>;
  /** kustomize appends the content hash to its name (not disabled by generatorOptions or options). */
  hashed: boolean;
  /** Files the generator reads that kdry could not (missing, outside the kustomization's folder, too large): their pairs are missing. */
  unread: string[];
}

const MAX_SOURCE_BYTES = 1024 * 1024;
const GENERATORS = [['configMapGenerator', 'ConfigMap'], ['secretGenerator', 'Secret']] as const;

/** The object the unit's generator of that kind and name makes; undefined when it has none. */
export function generate(workspace: WorkspaceIndex, unit: Unit, kind: 'ConfigMap' | 'Secret', name: string): Generated | undefined {
  const config = unit.config ?? {};
  const field = GENERATORS.find(([, k]) => k === kind)![0];
  const args = list(config[field]).find((e): e is Record<string, unknown> => isRecord(e) && e.name === name);
  if (!args) return undefined;
  const options = isRecord(args.options) ? args.options : {};
  const global = isRecord(config.generatorOptions) ? config.generatorOptions : {};
  const unread: string[] = [];
  const read = (path: string) => {
    const bytes = readSource(workspace, unit.dir, path);
    if (!bytes) unread.push(path);
    return bytes;
  };
  const pairs: [string, Buffer][] = [];
  for (const path of [...list(args.envs), args.env].filter((p): p is string => typeof p === 'string' && p !== '')) {
    const bytes = read(path);
    if (bytes) pairs.push(...envPairs(bytes.toString('utf8')).map(([k, v]): [string, Buffer] => [k, Buffer.from(v)]));
  }
  for (const literal of list(args.literals)) {
    if (typeof literal !== 'string' || literal.indexOf('=') <= 0) continue;
    const eq = literal.indexOf('=');
    pairs.push([literal.slice(0, eq), Buffer.from(removeQuotes(literal.slice(eq + 1)))]);
  }
  for (const source of list(args.files)) {
    if (typeof source !== 'string') continue;
    const parts = source.split('=');
    if (parts.length > 2 || (parts.length === 2 && (parts[0] === '' || parts[1] === ''))) continue;
    const [key, path] = parts.length === 2 ? parts : [basename(source), source];
    const bytes = read(path);
    if (bytes) pairs.push([key, bytes]);
  }
  const metadata: Record<string, unknown> = { name };
  if (typeof args.namespace === 'string' && args.namespace !== '') metadata.namespace = args.namespace;
  const labels = { ...strings(global.labels), ...strings(options.labels) };
  const annotations = { ...strings(global.annotations), ...strings(options.annotations) };
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
 * refuses others, also when the editor holds them): the editor's text when the workspace holds it,
 * else from disk.
 */
function readSource(workspace: WorkspaceIndex, dir: string, path: string): Buffer | undefined {
  const absolute = resolve(dir, path);
  if (!isBelow(absolute, dir)) return undefined;
  const open = workspace.get(pathToFileURL(absolute).href);
  if (open) return Buffer.from(open.text);
  try {
    const real = realpathSync(absolute);
    if (!isBelow(real, realpathSync(dir))) return undefined;
    const stat = statSync(real);
    const cached = cache.get(real);
    if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.bytes;
    const fd = openSync(real, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    try {
      const opened = fstatSync(fd);
      if (!opened.isFile() || opened.size > MAX_SOURCE_BYTES) return undefined;
      const buffer = Buffer.alloc(opened.size);
      let length = 0;
      while (length < buffer.length) {
        const n = readSync(fd, buffer, length, buffer.length - length, length);
        if (n === 0) break;
        length += n;
      }
      const bytes = buffer.subarray(0, length);
      if (cachedBytes + length > MAX_CACHED_BYTES) (cache.clear(), (cachedBytes = 0));
      cachedBytes += length - (cache.get(real)?.bytes.length ?? 0);
      cache.set(real, { mtimeMs: opened.mtimeMs, size: opened.size, bytes });
      return bytes;
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

function strings(v: unknown): Record<string, string> {
  return isRecord(v) ? Object.fromEntries(Object.entries(v).filter(([, x]) => typeof x === 'string')) as Record<string, string> : {};
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
